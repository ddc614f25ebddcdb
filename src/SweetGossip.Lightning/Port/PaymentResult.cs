using System.Diagnostics.CodeAnalysis;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Port;

public enum PaymentStatus
{
    Succeeded,
    Failed,
}

/// <summary>Why a payment failed. When the HTLC had been locked, its funds are back with the payer.</summary>
public enum PaymentFailureReason
{
    /// <summary>The payee cancelled the invoice (before or while holding our HTLC).</summary>
    PayeeCancelled,

    /// <summary>The invoice had expired before it was paid.</summary>
    InvoiceExpired,

    /// <summary>The payee held our HTLC and did not settle before the HTLC timed out.</summary>
    HoldExpired,

    /// <summary>The payer's available balance does not cover amount + fee.</summary>
    InsufficientBalance,

    /// <summary>The payment request names a payee this node cannot reach.</summary>
    UnknownPayee,

    /// <summary>Not a payment request this node can pay: malformed, bad signature, wrong network, no amount, or unknown to the payee.</summary>
    InvalidInvoice,

    /// <summary>The invoice is already paid (Accepted, or Settled).</summary>
    AlreadyPaid,
}

/// <summary>
/// The final state of a payment (LND SendPaymentV2's last update): Succeeded with the preimage and the fee,
/// or Failed with a reason. In-flight states are never returned.
/// </summary>
public sealed record PaymentResult
{
    public required PaymentStatus Status { get; init; }

    public required Hash32 PaymentHash { get; init; }

    /// <summary>Amount delivered to the payee (0 if the request could not be read).</summary>
    public required ulong AmountMsat { get; init; }

    /// <summary>Routing fee paid on success; 0 on failure (a failed payment costs nothing).</summary>
    public ulong FeeMsat { get; init; }

    /// <summary>The preimage, on success; SHA-256(Preimage) == PaymentHash.</summary>
    public Hash32? Preimage { get; init; }

    public PaymentFailureReason? FailureReason { get; init; }

    /// <summary>Human-readable detail of a failure.</summary>
    public string? FailureMessage { get; init; }

    [MemberNotNullWhen(true, nameof(Preimage))]
    [MemberNotNullWhen(false, nameof(FailureReason), nameof(FailureMessage))]
    public bool Succeeded => Status == PaymentStatus.Succeeded;

    public static PaymentResult Success(Hash32 paymentHash, ulong amountMsat, ulong feeMsat, Hash32 preimage) => new()
    {
        Status = PaymentStatus.Succeeded,
        PaymentHash = paymentHash,
        AmountMsat = amountMsat,
        FeeMsat = feeMsat,
        Preimage = preimage,
    };

    public static PaymentResult Failure(Hash32 paymentHash, ulong amountMsat, PaymentFailureReason reason, string message) => new()
    {
        Status = PaymentStatus.Failed,
        PaymentHash = paymentHash,
        AmountMsat = amountMsat,
        FailureReason = reason,
        FailureMessage = message,
    };

    public override string ToString() => Succeeded
        ? $"Succeeded {AmountMsat} msat (fee {FeeMsat}) hash {PaymentHash}"
        : $"Failed {FailureReason}: {FailureMessage} (hash {PaymentHash})";
}
