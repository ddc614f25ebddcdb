using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

/// <summary>LND's hold-invoice states: Open → Accepted → Settled | Cancelled; Settled and Cancelled are final.</summary>
public enum RecordedInvoiceState { Open, Accepted, Settled, Cancelled }

public enum RecordedPaymentState { InFlight, Succeeded, Failed }

/// <summary>One of this node's invoices, as journaled.</summary>
public sealed record RecordedInvoice(
    ulong AmountMsat, string PaymentRequest, DateTimeOffset ExpiresAt, int CltvExpiryDelta,
    RecordedInvoiceState State, DateTimeOffset? HtlcExpiresAt = null, Hash32? Preimage = null, string? CancelReason = null)
{
    public bool IsFinal => State is RecordedInvoiceState.Settled or RecordedInvoiceState.Cancelled;
}

/// <summary>One payment this node made, as journaled.</summary>
public sealed record RecordedPayment(
    string PaymentRequest, ulong AmountMsat, RecordedPaymentState State, Hash32? Preimage = null, ulong FeeMsat = 0, string? FailureReason = null);

/// <summary>The downstream half of a relay (the upstream half is the entry's invoice).</summary>
public sealed record RecordedRelay(string DownstreamPaymentRequest, ulong DownstreamAmountMsat, ulong FeeMsat, int DownstreamCltvExpiryDelta);

/// <summary>A reply the originator pays for, and whether it was delivered.</summary>
public sealed record RecordedPurchase(ReplyPurchase Purchase, bool Delivered);

/// <summary>
/// Everything this node did under one payment hash: an invoice of its own (a relay's upstream one, a reply's,
/// a favour's), a payment (a relay's downstream one, a favour's price, a bought reply), the relay joining them,
/// a preimage it owns, a reply it bought. <see cref="ChangedAt"/> is when the last event about it happened.
/// </summary>
public sealed record SettlementEntry(Hash32 PaymentHash, DateTimeOffset ChangedAt)
{
    public RecordedInvoice? Invoice { get; init; }

    public RecordedPayment? Payment { get; init; }

    public RecordedRelay? Relay { get; init; }

    /// <summary>The preimage this node owns for its invoice: it settles as soon as the invoice is accepted.</summary>
    public Hash32? Secret { get; init; }

    /// <summary>Set when a registered secret's invoice was never issued.</summary>
    public string? NotIssuedReason { get; init; }

    public RecordedPurchase? Purchase { get; init; }

    /// <summary>A preimage this node knows for the hash: its own secret, its settled invoice's, or its payment's.</summary>
    public Hash32? KnownPreimage => Secret ?? Invoice?.Preimage ?? Payment?.Preimage;

    /// <summary>A relay whose downstream payment is in flight or succeeded: its upstream must not be cancelled.</summary>
    public bool DownstreamUnresolved => Relay is not null && Payment is { State: RecordedPaymentState.InFlight or RecordedPaymentState.Succeeded };

    /// <summary>Nothing left to do: every part final. Only finished entries are pruned.</summary>
    public bool IsFinished =>
        (Invoice is null ? Secret is null || NotIssuedReason is not null : Invoice.IsFinal)
        && Payment is not { State: RecordedPaymentState.InFlight }
        && (Purchase is null || Purchase.Delivered || Payment is not { State: RecordedPaymentState.Succeeded });
}
