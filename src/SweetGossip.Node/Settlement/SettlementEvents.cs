using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

/// <summary>
/// What the settlement actor journals, each about one payment hash and stamped with when it happened.
/// Replaying them through <see cref="SettlementLedger.Apply"/> rebuilds the ledger. Intents (a payment
/// started, a secret registered, a reply bought) are journaled before acting; facts (an invoice issued,
/// accepted, settled, cancelled; a payment's end) after they happened.
/// </summary>
public abstract record SettlementEvent(Hash32 PaymentHash, DateTimeOffset At);

public sealed record InvoiceIssuedEvent(Hash32 PaymentHash, DateTimeOffset At, ulong AmountMsat, string PaymentRequest, DateTimeOffset ExpiresAt, int CltvExpiryDelta)
    : SettlementEvent(PaymentHash, At);

public sealed record InvoiceAcceptedEvent(Hash32 PaymentHash, DateTimeOffset At, DateTimeOffset? HtlcExpiresAt) : SettlementEvent(PaymentHash, At);

public sealed record InvoiceSettledEvent(Hash32 PaymentHash, DateTimeOffset At, Hash32 Preimage) : SettlementEvent(PaymentHash, At);

public sealed record InvoiceCancelledEvent(Hash32 PaymentHash, DateTimeOffset At, string Reason) : SettlementEvent(PaymentHash, At);

/// <summary>A secret was registered but the Lightning node never issued its invoice (refused, or gone after a crash).</summary>
public sealed record InvoiceNotIssuedEvent(Hash32 PaymentHash, DateTimeOffset At, string Reason) : SettlementEvent(PaymentHash, At);

public sealed record PaymentStartedEvent(Hash32 PaymentHash, DateTimeOffset At, string PaymentRequest, ulong AmountMsat) : SettlementEvent(PaymentHash, At);

public sealed record PaymentSucceededEvent(Hash32 PaymentHash, DateTimeOffset At, Hash32 Preimage, ulong FeeMsat) : SettlementEvent(PaymentHash, At);

public sealed record PaymentFailedEvent(Hash32 PaymentHash, DateTimeOffset At, string Reason) : SettlementEvent(PaymentHash, At);

/// <summary>
/// This node relays the payment under <see cref="SettlementEvent.PaymentHash"/>: its upstream invoice and the
/// downstream request share the hash. The downstream CLTV delta is what the deadline rule measures against.
/// </summary>
public sealed record RelayRegisteredEvent(
    Hash32 PaymentHash, DateTimeOffset At, string DownstreamPaymentRequest, ulong DownstreamAmountMsat, ulong FeeMsat, int DownstreamCltvExpiryDelta)
    : SettlementEvent(PaymentHash, At);

/// <summary>
/// This node owns the preimage (a replier's offer, a favour's price, an invoice of the operator's) and will
/// settle the invoice as soon as it is accepted. Journaled before the invoice is issued, so an accepted HTLC
/// can always be settled, whatever crashed.
/// </summary>
public sealed record SecretRegisteredEvent(Hash32 PaymentHash, DateTimeOffset At, Hash32 Preimage) : SettlementEvent(PaymentHash, At);

/// <summary>The originator is about to pay for this reply: what it needs to open and deliver it after any crash.</summary>
public sealed record ReplyPurchasedEvent(Hash32 PaymentHash, DateTimeOffset At, ReplyPurchase Purchase) : SettlementEvent(PaymentHash, At);

/// <summary>The paid reply was opened and handed to the node's subscribers.</summary>
public sealed record ReplyDeliveredEvent(Hash32 PaymentHash, DateTimeOffset At) : SettlementEvent(PaymentHash, At);
