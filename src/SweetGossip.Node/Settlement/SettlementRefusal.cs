namespace SweetGossip.Node.Settlement;

/// <summary>
/// Why the settlement actor refused a command or the ledger a transition (as LND's invoice registry refuses
/// illegal state changes with typed errors). Every refusal names one of these; the text adds the detail.
/// </summary>
public enum SettlementRefusal
{
    // ---- the hold-invoice state machine: Open → Accepted → Settled | Cancelled, nothing else

    /// <summary>No invoice (or entry) of this node has that payment hash.</summary>
    UnknownPaymentHash,

    /// <summary>The payment hash is already in use here (an invoice, a relay, a payment or a secret).</summary>
    DuplicatePaymentHash,

    /// <summary>Only an Open invoice can become Accepted.</summary>
    InvoiceNotOpen,

    /// <summary>Settle of an invoice that holds no payment yet.</summary>
    InvoiceNotAccepted,

    InvoiceAlreadySettled,

    InvoiceAlreadyCancelled,

    /// <summary>SHA-256 of the preimage is not the payment hash.</summary>
    WrongPreimage,

    // ---- payments

    /// <summary>This node already paid (or is paying) under that payment hash.</summary>
    AlreadyPaid,

    /// <summary>A payment result for a payment that is not in flight.</summary>
    PaymentNotInFlight,

    /// <summary>The invoice is not what the payer was told to expect: amount, payee, hash or lifetime.</summary>
    AmountMismatch,

    PayeeMismatch,

    PaymentHashMismatch,

    InvoiceExpired,

    /// <summary>The invoice asks more than this node pays for it (auto-pay limit, path fees, favour price).</summary>
    AmountAboveLimit,

    /// <summary>The payment request cannot be decoded, belongs to another network, or has no amount.</summary>
    InvalidInvoice,

    /// <summary>Amount arithmetic would wrap around 2^64.</summary>
    AmountOverflow,

    // ---- relays: the payment chain's rules (D15)

    /// <summary>The downstream HTLC could outlive the upstream one: CLTV deltas must shrink towards the replier by the margin.</summary>
    DownstreamHoldNotShorter,

    /// <summary>The upstream CLTV delta would be above the maximum this node locks funds for.</summary>
    CltvTooLarge,

    /// <summary>The downstream invoice expires too soon for an upstream invoice to be paid before it.</summary>
    DownstreamExpiresTooSoon,

    /// <summary>The upstream HTLC has too little time left to pay downstream safely (the deadline rule).</summary>
    TooLateToPay,

    /// <summary>Upstream must not be cancelled while its downstream payment is in flight or succeeded.</summary>
    DownstreamUnresolved,

    /// <summary>A relay step that needs the upstream invoice Accepted.</summary>
    UpstreamNotAccepted,

    // ---- replies bought by the originator

    /// <summary>No reply was bought under that payment hash.</summary>
    NoPurchase,

    /// <summary>The reply was delivered already, or its payment has not succeeded.</summary>
    ReplyNotDeliverable,

    // ---- the actor itself

    /// <summary>The Lightning node refused, failed, or did not answer in time.</summary>
    LightningFailure,

    /// <summary>Too many commands are waiting; try later.</summary>
    Busy,
}

/// <summary>An illegal transition offered to <see cref="SettlementLedger.Apply"/>.</summary>
public sealed class SettlementRefusedException(SettlementRefusal reason, string message) : InvalidOperationException($"{reason}: {message}")
{
    public SettlementRefusal Reason { get; } = reason;
}

/// <summary>A refusal and its detail, as rule checks return them (null: allowed).</summary>
public sealed record Refusal(SettlementRefusal Reason, string Detail)
{
    public override string ToString() => $"{Reason}: {Detail}";
}

public static class SettlementRefusalExtensions
{
    /// <summary>
    /// Refusals that mean the invoice a peer handed over is wrong (not what its frame announced, expired, unreadable,
    /// reused or unsafe to relay): the peer is scored for an invalid frame.
    /// </summary>
    public static bool BlamesTheInvoice(this SettlementRefusal reason) => reason is
        SettlementRefusal.AmountMismatch or SettlementRefusal.PayeeMismatch or SettlementRefusal.PaymentHashMismatch
        or SettlementRefusal.InvoiceExpired or SettlementRefusal.InvalidInvoice or SettlementRefusal.AlreadyPaid
        or SettlementRefusal.DuplicatePaymentHash or SettlementRefusal.AmountOverflow or SettlementRefusal.AmountAboveLimit
        or SettlementRefusal.DownstreamHoldNotShorter or SettlementRefusal.CltvTooLarge or SettlementRefusal.DownstreamExpiresTooSoon;
}
