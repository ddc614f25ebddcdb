using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Port;

/// <summary>A snapshot of one invoice of this node (LookupInvoice, and inside every <see cref="InvoiceUpdate"/>).</summary>
public sealed record InvoiceStatus
{
    public required Hash32 PaymentHash { get; init; }

    public required InvoiceState State { get; init; }

    /// <summary>Amount the invoice asks for.</summary>
    public required ulong AmountMsat { get; init; }

    /// <summary>Amount locked by the payer's HTLC (Accepted) or received (Settled); 0 otherwise.</summary>
    public required ulong AmountPaidMsat { get; init; }

    public required string Memo { get; init; }

    public required string PaymentRequest { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required int CltvExpiryDelta { get; init; }

    /// <summary>When the HTLC arrived (Accepted, and kept once Settled or Cancelled after acceptance).</summary>
    public DateTimeOffset? AcceptedAt { get; init; }

    /// <summary>
    /// When the held HTLC times out (AcceptedAt + CltvExpiryDelta blocks): the payee must settle before this,
    /// or the invoice is cancelled with <see cref="InvoiceCancelReason.HoldExpired"/>. Set once accepted.
    /// </summary>
    public DateTimeOffset? HtlcExpiresAt { get; init; }

    public DateTimeOffset? SettledAt { get; init; }

    public DateTimeOffset? CancelledAt { get; init; }

    public InvoiceCancelReason? CancelReason { get; init; }

    /// <summary>The preimage, once Settled.</summary>
    public Hash32? Preimage { get; init; }
}

/// <summary>
/// One state change of one of this node's invoices: the invoice entering <see cref="InvoiceState.Open"/>
/// (added), <see cref="InvoiceState.Accepted"/>, <see cref="InvoiceState.Settled"/> or <see cref="InvoiceState.Cancelled"/>.
/// </summary>
/// <param name="Sequence">Per node, strictly increasing by one with every update (LND's add/settle index, merged).</param>
/// <param name="Timestamp">When the change happened.</param>
/// <param name="Invoice">The invoice right after the change.</param>
public sealed record InvoiceUpdate(ulong Sequence, DateTimeOffset Timestamp, InvoiceStatus Invoice)
{
    public Hash32 PaymentHash => Invoice.PaymentHash;

    public InvoiceState State => Invoice.State;
}
