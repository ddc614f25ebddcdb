using System.Collections.Immutable;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

/// <summary>
/// The one place the payment chain's money rules live: a pure, I/O-free fold over <see cref="SettlementEvent"/>s.
/// <see cref="Check"/> refuses every illegal transition with a typed reason (invoices go Open → Accepted →
/// Settled | Cancelled and nothing else; a hash is paid once; a relay pays downstream only while its upstream
/// HTLC leaves time: the deadline rule), <see cref="Apply"/> folds a legal one in, <see cref="Due"/> says what
/// must be done next, and the <c>Refuse…</c> methods answer commands. The settlement actor only journals,
/// calls Lightning and carries out what this decides; tests drive it alone.
/// </summary>
public sealed partial record SettlementLedger
{
    private SettlementLedger(RelayPolicy policy) => Policy = policy;

    public RelayPolicy Policy { get; }

    // Both in payment-hash byte order: the sweep acts on entries (Lightning calls, journal writes, messages) in the
    // order it walks them, and a hash set walks them by a hash code seeded per process (a seeded simulation would not repeat).

    /// <summary>Every entry retained: the active ones and the finished ones not pruned yet, by payment hash.</summary>
    public ImmutableSortedDictionary<Hash32, SettlementEntry> Entries { get; private init; } = ImmutableSortedDictionary<Hash32, SettlementEntry>.Empty;

    /// <summary>Entries with something left to do (<see cref="SettlementEntry.IsFinished"/> false): all the sweep looks at, by payment hash.</summary>
    public ImmutableSortedSet<Hash32> Active { get; private init; } = [];

    public static SettlementLedger Empty(RelayPolicy policy) => new(policy);

    /// <summary>A ledger holding exactly these entries (a snapshot's).</summary>
    public static SettlementLedger Of(RelayPolicy policy, IEnumerable<SettlementEntry> entries)
    {
        var ledger = Empty(policy);
        foreach (var entry in entries) ledger = ledger.With(entry);
        return ledger;
    }

    public SettlementEntry? this[Hash32 paymentHash] => Entries.GetValueOrDefault(paymentHash);

    public RecordedInvoice? Invoice(Hash32 paymentHash) => this[paymentHash]?.Invoice;

    public RecordedPayment? Payment(Hash32 paymentHash) => this[paymentHash]?.Payment;

    /// <summary>Folds a legal event in.</summary>
    /// <exception cref="SettlementRefusedException">The event is an illegal transition (see <see cref="Check"/>).</exception>
    public SettlementLedger Apply(SettlementEvent e)
    {
        if (Check(e) is { } refusal) throw new SettlementRefusedException(refusal.Reason, refusal.Detail);
        var entry = this[e.PaymentHash] ?? new SettlementEntry(e.PaymentHash, e.At);
        return With(Next(entry, e) with { ChangedAt = e.At });
    }

    /// <summary>Why <paramref name="e"/> is not a legal next step for its payment hash, or null.</summary>
    public Refusal? Check(SettlementEvent e)
    {
        var entry = this[e.PaymentHash];
        var invoice = entry?.Invoice;
        var payment = entry?.Payment;
        switch (e)
        {
            case SecretRegisteredEvent s:
                if (entry is not null) return Duplicate(e);
                return s.Preimage.Sha256() == e.PaymentHash ? null : WrongPreimage(e);
            case RelayRegisteredEvent r:
                if (entry is not null) return Duplicate(e);
                if (ulong.MaxValue - r.DownstreamAmountMsat < r.FeeMsat)
                    return new Refusal(SettlementRefusal.AmountOverflow, $"downstream {r.DownstreamAmountMsat} + fee {r.FeeMsat} msat exceeds 2^64");
                return null;
            case InvoiceIssuedEvent i:
                if (invoice is not null || entry?.NotIssuedReason is not null || (payment is not null && entry!.Relay is null)) return Duplicate(e);
                if (entry?.Relay is { } relay && i.AmountMsat != relay.DownstreamAmountMsat + relay.FeeMsat)
                    return new Refusal(SettlementRefusal.AmountMismatch, $"a relay's upstream invoice asks downstream + fee ({relay.DownstreamAmountMsat + relay.FeeMsat} msat), not {i.AmountMsat}");
                return null;
            case InvoiceNotIssuedEvent:
                if (entry?.Secret is null) return Unknown(e);
                return invoice is not null || entry.NotIssuedReason is not null ? Duplicate(e) : null;
            case InvoiceAcceptedEvent:
                return invoice is null ? Unknown(e)
                    : invoice.State == RecordedInvoiceState.Open ? null
                    : Final(invoice) ?? new Refusal(SettlementRefusal.InvoiceNotOpen, "the invoice is accepted already");
            case InvoiceSettledEvent s:
                if (invoice is null) return Unknown(e);
                if (s.Preimage.Sha256() != e.PaymentHash) return WrongPreimage(e);
                return invoice.State == RecordedInvoiceState.Accepted ? null
                    : Final(invoice) ?? new Refusal(SettlementRefusal.InvoiceNotAccepted, "the invoice holds no payment to settle");
            case InvoiceCancelledEvent:
                return invoice is null ? Unknown(e) : Final(invoice);
            case ReplyPurchasedEvent p:
                if (entry?.Purchase is not null) return Duplicate(e);
                if (payment is not null) return AlreadyPaid(payment);
                return p.Purchase.Reply.PaymentHash == e.PaymentHash ? null
                    : new Refusal(SettlementRefusal.PaymentHashMismatch, $"the reply is under payment hash {p.Purchase.Reply.PaymentHash}");
            case PaymentStartedEvent p:
                if (payment is not null) return AlreadyPaid(payment);
                if (entry?.Relay is not { } downstream) return null;
                if (invoice?.State != RecordedInvoiceState.Accepted)
                    return new Refusal(SettlementRefusal.UpstreamNotAccepted, "a relay pays downstream only once its upstream invoice is accepted");
                if (p.PaymentRequest != downstream.DownstreamPaymentRequest)
                    return new Refusal(SettlementRefusal.AmountMismatch, "a relay pays exactly the downstream invoice it registered");
                return Policy.MayPayDownstream(e.At, invoice.HtlcExpiresAt, downstream.DownstreamCltvExpiryDelta) ? null : TooLate(invoice, downstream, e.At);
            case PaymentSucceededEvent s:
                if (payment is not { State: RecordedPaymentState.InFlight }) return NotInFlight(payment);
                return s.Preimage.Sha256() == e.PaymentHash ? null : WrongPreimage(e);
            case PaymentFailedEvent:
                return payment is { State: RecordedPaymentState.InFlight } ? null : NotInFlight(payment);
            case ReplyDeliveredEvent:
                if (entry?.Purchase is not { } purchase) return new Refusal(SettlementRefusal.NoPurchase, "no reply was bought under this payment hash");
                if (purchase.Delivered) return new Refusal(SettlementRefusal.ReplyNotDeliverable, "the reply was delivered already");
                return payment is { State: RecordedPaymentState.Succeeded } ? null
                    : new Refusal(SettlementRefusal.ReplyNotDeliverable, "the reply's payment has not succeeded");
            default:
                throw new ArgumentException($"unknown settlement event {e.GetType().Name}", nameof(e));
        }
    }

    private static SettlementEntry Next(SettlementEntry entry, SettlementEvent e) => e switch
    {
        SecretRegisteredEvent s => entry with { Secret = s.Preimage },
        RelayRegisteredEvent r => entry with { Relay = new RecordedRelay(r.DownstreamPaymentRequest, r.DownstreamAmountMsat, r.FeeMsat, r.DownstreamCltvExpiryDelta) },
        InvoiceIssuedEvent i => entry with { Invoice = new RecordedInvoice(i.AmountMsat, i.PaymentRequest, i.ExpiresAt, i.CltvExpiryDelta, RecordedInvoiceState.Open) },
        InvoiceNotIssuedEvent n => entry with { NotIssuedReason = n.Reason },
        InvoiceAcceptedEvent a => entry with { Invoice = entry.Invoice! with { State = RecordedInvoiceState.Accepted, HtlcExpiresAt = a.HtlcExpiresAt } },
        InvoiceSettledEvent s => entry with { Invoice = entry.Invoice! with { State = RecordedInvoiceState.Settled, Preimage = s.Preimage } },
        InvoiceCancelledEvent c => entry with { Invoice = entry.Invoice! with { State = RecordedInvoiceState.Cancelled, CancelReason = c.Reason } },
        ReplyPurchasedEvent p => entry with { Purchase = new RecordedPurchase(p.Purchase, Delivered: false) },
        PaymentStartedEvent p => entry with { Payment = new RecordedPayment(p.PaymentRequest, p.AmountMsat, RecordedPaymentState.InFlight) },
        PaymentSucceededEvent s => entry with { Payment = entry.Payment! with { State = RecordedPaymentState.Succeeded, Preimage = s.Preimage, FeeMsat = s.FeeMsat } },
        PaymentFailedEvent f => entry with { Payment = entry.Payment! with { State = RecordedPaymentState.Failed, FailureReason = f.Reason } },
        ReplyDeliveredEvent => entry with { Purchase = entry.Purchase! with { Delivered = true } },
        _ => throw new ArgumentException($"unknown settlement event {e.GetType().Name}", nameof(e)),
    };

    private SettlementLedger With(SettlementEntry entry) => this with
    {
        Entries = Entries.SetItem(entry.PaymentHash, entry),
        Active = entry.IsFinished ? Active.Remove(entry.PaymentHash) : Active.Add(entry.PaymentHash),
    };

    /// <summary>Drops finished entries whose last event is older than <paramref name="finishedBefore"/> (retention).</summary>
    public SettlementLedger Prune(DateTimeOffset finishedBefore)
    {
        var stale = Entries.Values.Where(e => e.IsFinished && e.ChangedAt < finishedBefore).Select(e => e.PaymentHash).ToList();
        return stale.Count == 0 ? this : this with { Entries = Entries.RemoveRange(stale) };
    }

    /// <summary>Net msat of the retained entries: settled invoices brought in minus succeeded payments (with fees) took out.</summary>
    public long NetMsat()
    {
        long net = 0;
        foreach (var entry in Entries.Values)
        {
            if (entry.Invoice is { State: RecordedInvoiceState.Settled } invoice) net = checked(net + (long)invoice.AmountMsat);
            if (entry.Payment is { State: RecordedPaymentState.Succeeded } payment) net = checked(net - (long)(payment.AmountMsat + payment.FeeMsat));
        }
        return net;
    }

    private static Refusal? Final(RecordedInvoice invoice) => invoice.State switch
    {
        RecordedInvoiceState.Settled => new Refusal(SettlementRefusal.InvoiceAlreadySettled, "the invoice is already settled: its funds are final"),
        RecordedInvoiceState.Cancelled => new Refusal(SettlementRefusal.InvoiceAlreadyCancelled, $"the invoice was cancelled ({invoice.CancelReason})"),
        _ => null,
    };

    private static Refusal Unknown(SettlementEvent e) =>
        new(SettlementRefusal.UnknownPaymentHash, $"no invoice of this node has payment hash {e.PaymentHash}");

    private static Refusal Duplicate(SettlementEvent e) =>
        new(SettlementRefusal.DuplicatePaymentHash, $"payment hash {e.PaymentHash} is already in use here");

    private static Refusal WrongPreimage(SettlementEvent e) =>
        new(SettlementRefusal.WrongPreimage, $"the preimage does not hash to {e.PaymentHash}");

    private static Refusal AlreadyPaid(RecordedPayment payment) =>
        new(SettlementRefusal.AlreadyPaid, $"this payment hash was already paid ({payment.State})");

    private static Refusal NotInFlight(RecordedPayment? payment) =>
        new(SettlementRefusal.PaymentNotInFlight, payment is null ? "no payment was started under this hash" : $"the payment is {payment.State}, not in flight");

    private Refusal TooLate(RecordedInvoice upstream, RecordedRelay relay, DateTimeOffset now) =>
        new(SettlementRefusal.TooLateToPay, upstream.HtlcExpiresAt is { } deadline
            ? $"the upstream HTLC times out at {deadline:O}, {deadline - now} from now, less than the {Policy.PayingWindow(relay.DownstreamCltvExpiryDelta)} a downstream delta of {relay.DownstreamCltvExpiryDelta} blocks needs"
            : "the upstream HTLC's timeout is unknown, so paying downstream could outlive it");
}
