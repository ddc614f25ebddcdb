using System.Collections.Immutable;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

public enum RecordedInvoiceState { Open, Accepted, Settled, Cancelled }

public enum RecordedPaymentState { InFlight, Succeeded, Failed }

public sealed record RecordedInvoice(
    Hash32 PaymentHash, ulong AmountMsat, string PaymentRequest, DateTimeOffset ExpiresAt,
    RecordedInvoiceState State, DateTimeOffset? HtlcExpiresAt = null, Hash32? Preimage = null, string? CancelReason = null)
{
    public bool IsFinal => State is RecordedInvoiceState.Settled or RecordedInvoiceState.Cancelled;
}

public sealed record RecordedPayment(
    Hash32 PaymentHash, string PaymentRequest, ulong AmountMsat, RecordedPaymentState State,
    Hash32? Preimage = null, ulong FeeMsat = 0, string? FailureReason = null);

public sealed record RecordedRelay(Hash32 PaymentHash, string DownstreamPaymentRequest, ulong DownstreamAmountMsat, ulong FeeMsat);

/// <summary>
/// The settlement actor's state: every invoice issued, payment made, relay and preimage learned.
/// Immutable and I/O-free: events go in through <see cref="Apply"/>, and the rules that keep money
/// safe (never settle twice, never cancel after a settle) are decided here, so they are testable alone.
/// </summary>
public sealed record SettlementLedger(
    ImmutableDictionary<Hash32, RecordedInvoice> Invoices,
    ImmutableDictionary<Hash32, RecordedPayment> Payments,
    ImmutableDictionary<Hash32, RecordedRelay> Relays)
{
    public static readonly SettlementLedger Empty = new(
        ImmutableDictionary<Hash32, RecordedInvoice>.Empty,
        ImmutableDictionary<Hash32, RecordedPayment>.Empty,
        ImmutableDictionary<Hash32, RecordedRelay>.Empty);

    public SettlementLedger Apply(SettlementEvent e) => e switch
    {
        InvoiceIssuedEvent i => this with { Invoices = Invoices.SetItem(i.PaymentHash, new RecordedInvoice(i.PaymentHash, i.AmountMsat, i.PaymentRequest, i.ExpiresAt, RecordedInvoiceState.Open)) },
        InvoiceAcceptedEvent a => UpdateInvoice(a.PaymentHash, inv => inv with { State = RecordedInvoiceState.Accepted, HtlcExpiresAt = a.HtlcExpiresAt }),
        InvoiceSettledEvent s => UpdateInvoice(s.PaymentHash, inv => inv with { State = RecordedInvoiceState.Settled, Preimage = s.Preimage }),
        InvoiceCancelledEvent c => UpdateInvoice(c.PaymentHash, inv => inv with { State = RecordedInvoiceState.Cancelled, CancelReason = c.Reason }),
        PaymentStartedEvent p => this with { Payments = Payments.SetItem(p.PaymentHash, new RecordedPayment(p.PaymentHash, p.PaymentRequest, p.AmountMsat, RecordedPaymentState.InFlight)) },
        PaymentSucceededEvent p => UpdatePayment(p.PaymentHash, pay => pay with { State = RecordedPaymentState.Succeeded, Preimage = p.Preimage, FeeMsat = p.FeeMsat }),
        PaymentFailedEvent p => UpdatePayment(p.PaymentHash, pay => pay with { State = RecordedPaymentState.Failed, FailureReason = p.Reason }),
        RelayRegisteredEvent r => this with { Relays = Relays.SetItem(r.PaymentHash, new RecordedRelay(r.PaymentHash, r.DownstreamPaymentRequest, r.DownstreamAmountMsat, r.FeeMsat)) },
        _ => throw new ArgumentException($"unknown settlement event {e.GetType().Name}", nameof(e)),
    };

    private SettlementLedger UpdateInvoice(Hash32 hash, Func<RecordedInvoice, RecordedInvoice> change) =>
        Invoices.TryGetValue(hash, out var invoice) ? this with { Invoices = Invoices.SetItem(hash, change(invoice)) } : this;

    private SettlementLedger UpdatePayment(Hash32 hash, Func<RecordedPayment, RecordedPayment> change) =>
        Payments.TryGetValue(hash, out var payment) ? this with { Payments = Payments.SetItem(hash, change(payment)) } : this;

    /// <summary>Why settling this invoice must not happen, or null if it may.</summary>
    public string? RefuseSettle(Hash32 paymentHash) => Invoices.TryGetValue(paymentHash, out var invoice)
        ? invoice.State switch
        {
            RecordedInvoiceState.Accepted => null,
            RecordedInvoiceState.Open => "invoice is not accepted yet: there is no payment to settle",
            RecordedInvoiceState.Settled => "invoice is already settled",
            _ => $"invoice was cancelled ({invoice.CancelReason})",
        }
        : "no invoice of this node has that payment hash";

    /// <summary>Why cancelling this invoice must not happen, or null if it may.</summary>
    public string? RefuseCancel(Hash32 paymentHash) => Invoices.TryGetValue(paymentHash, out var invoice)
        ? invoice.State == RecordedInvoiceState.Settled ? "invoice is already settled: its funds are final" : null
        : "no invoice of this node has that payment hash";

    /// <summary>A preimage this node knows for a hash: from settling its own invoice or from a payment it made.</summary>
    public Hash32? PreimageOf(Hash32 paymentHash) =>
        Invoices.TryGetValue(paymentHash, out var invoice) && invoice.Preimage is { } fromInvoice ? fromInvoice
        : Payments.TryGetValue(paymentHash, out var payment) ? payment.Preimage
        : null;

    /// <summary>Relays whose upstream invoice is Accepted and whose downstream payment has not started: pay now.</summary>
    public IEnumerable<RecordedRelay> RelaysReadyToPay() => Relays.Values.Where(r =>
        Invoices.TryGetValue(r.PaymentHash, out var upstream) && upstream.State == RecordedInvoiceState.Accepted
        && !Payments.ContainsKey(r.PaymentHash));

    /// <summary>Relays paid downstream (preimage known) whose upstream invoice is not settled yet: settle now.</summary>
    public IEnumerable<(RecordedRelay Relay, Hash32 Preimage)> RelaysReadyToSettle() => Relays.Values
        .Where(r => Payments.TryGetValue(r.PaymentHash, out var p) && p.State == RecordedPaymentState.Succeeded
            && Invoices.TryGetValue(r.PaymentHash, out var upstream) && upstream.State == RecordedInvoiceState.Accepted)
        .Select(r => (r, Payments[r.PaymentHash].Preimage!.Value));

    /// <summary>Relays whose downstream payment failed while upstream is still live: cancel upstream.</summary>
    public IEnumerable<RecordedRelay> RelaysToRefund() => Relays.Values.Where(r =>
        Payments.TryGetValue(r.PaymentHash, out var p) && p.State == RecordedPaymentState.Failed
        && Invoices.TryGetValue(r.PaymentHash, out var upstream) && !upstream.IsFinal);

    /// <summary>Holds past their deadline: Open past expiry, or Accepted past the HTLC's timeout with no preimage to settle.</summary>
    public IEnumerable<RecordedInvoice> ExpiredHolds(DateTimeOffset now) => Invoices.Values.Where(i =>
        (i.State == RecordedInvoiceState.Open && now >= i.ExpiresAt)
        || (i.State == RecordedInvoiceState.Accepted && i.HtlcExpiresAt is { } deadline && now >= deadline && PreimageOf(i.PaymentHash) is null));

    public IEnumerable<RecordedPayment> PaymentsInFlight() => Payments.Values.Where(p => p.State == RecordedPaymentState.InFlight);

    /// <summary>Net msat this node's settled invoices brought in minus its succeeded payments (with fees) took out.</summary>
    public long NetMsat() =>
        Invoices.Values.Where(i => i.State == RecordedInvoiceState.Settled).Sum(i => (long)i.AmountMsat)
        - Payments.Values.Where(p => p.State == RecordedPaymentState.Succeeded).Sum(p => (long)(p.AmountMsat + p.FeeMsat));
}
