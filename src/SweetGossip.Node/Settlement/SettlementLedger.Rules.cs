using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

// What follows from the ledger's state: the next steps of each entry, answers to commands, and how a
// Lightning node's view of an invoice becomes events.
public sealed partial record SettlementLedger
{
    /// <summary>
    /// What must be done now for one payment hash. Deterministic in the entry and <paramref name="now"/>;
    /// the caller skips what it already has under way. Rules: a secret settles its accepted invoice; a relay
    /// pays downstream only while the deadline rule allows (else refunds upstream), settles upstream with the
    /// preimage its payment returned, refunds upstream when that payment failed, and never cancels upstream
    /// while downstream is unresolved; an Open invoice past expiry and an Accepted one past its HTLC timeout
    /// with no preimage are cancelled; a payment in flight is tracked; a paid reply is delivered.
    /// </summary>
    public IEnumerable<SettlementAction> Due(Hash32 paymentHash, DateTimeOffset now)
    {
        if (this[paymentHash] is not { } entry) yield break;
        var hash = entry.PaymentHash;
        var invoice = entry.Invoice;
        var payment = entry.Payment;
        switch (invoice?.State)
        {
            case null when entry.Secret is not null && entry.NotIssuedReason is null:
                yield return new LookupInvoiceDue(hash);
                break;
            case RecordedInvoiceState.Open when now >= invoice!.ExpiresAt:
                yield return new CancelDue(hash, CancelReasons.Expired);
                break;
            case RecordedInvoiceState.Accepted:
                if ((entry.Secret ?? (payment is { State: RecordedPaymentState.Succeeded } ? payment.Preimage : null)) is { } preimage)
                    yield return new SettleDue(hash, preimage);
                else if (entry.Relay is { } relay)
                {
                    if (payment is null)
                        yield return Policy.MayPayDownstream(now, invoice!.HtlcExpiresAt, relay.DownstreamCltvExpiryDelta)
                            ? new PayDownstreamDue(hash, relay.DownstreamPaymentRequest, relay.DownstreamAmountMsat)
                            : new CancelDue(hash, CancelReasons.TooLate);
                    else if (payment.State == RecordedPaymentState.Failed)
                        yield return new CancelDue(hash, CancelReasons.DownstreamFailed);
                }
                else if (invoice!.HtlcExpiresAt is { } deadline && now >= deadline)
                    yield return new CancelDue(hash, CancelReasons.HoldExpired);
                break;
        }
        if (payment is { State: RecordedPaymentState.InFlight })
            yield return new TrackPaymentDue(hash);
        if (entry.Purchase is { Delivered: false } purchase && payment is { State: RecordedPaymentState.Succeeded, Preimage: { } paid })
            yield return new DeliverReplyDue(hash, purchase.Purchase, paid);
    }

    /// <summary>Why a new invoice or relay may not use this payment hash, or null.</summary>
    public Refusal? RefuseNewHash(Hash32 paymentHash) => this[paymentHash] is null ? null
        : new Refusal(SettlementRefusal.DuplicatePaymentHash, $"payment hash {paymentHash} is already in use here (an invoice, relay, payment or secret)");

    /// <summary>Why paying under this hash must not happen ("a payment hash not paid before"), or null.</summary>
    public Refusal? RefusePayment(Hash32 paymentHash) => this[paymentHash] switch
    {
        { Payment: { } payment } => new Refusal(SettlementRefusal.AlreadyPaid, $"this payment hash was already paid ({payment.State})"),
        { Relay: not null } => new Refusal(SettlementRefusal.DuplicatePaymentHash, "this node relays under that payment hash; only the relay pays it"),
        _ => null,
    };

    /// <summary>Why settling with <paramref name="preimage"/> must not happen, or null.</summary>
    public Refusal? RefuseSettle(Hash32 preimage)
    {
        var hash = preimage.Sha256();
        if (Invoice(hash) is null) return new Refusal(SettlementRefusal.UnknownPaymentHash, "no invoice of this node has that payment hash");
        return Check(new InvoiceSettledEvent(hash, DateTimeOffset.MinValue, preimage));
    }

    /// <summary>Why cancelling this invoice must not happen, or null: it is final, or a relay's downstream is unresolved.</summary>
    public Refusal? RefuseCancel(Hash32 paymentHash)
    {
        if (this[paymentHash] is not { Invoice: { } invoice } entry)
            return new Refusal(SettlementRefusal.UnknownPaymentHash, "no invoice of this node has that payment hash");
        if (Final(invoice) is { } final) return final;
        return entry.DownstreamUnresolved
            ? new Refusal(SettlementRefusal.DownstreamUnresolved, $"the downstream payment is {entry.Payment!.State}: cancelling upstream could lose it")
            : null;
    }

    /// <summary>
    /// The events that bring an entry in line with the Lightning node's view of its invoice (its subscription,
    /// or a lookup after a crash): none if the ledger knows as much already or the invoice is not one of ours.
    /// </summary>
    public IReadOnlyList<SettlementEvent> Reconcile(InvoiceStatus status, DateTimeOffset now)
    {
        var hash = status.PaymentHash;
        if (this[hash] is not { } entry) return [];
        var events = new List<SettlementEvent>();
        var state = entry.Invoice?.State;
        if (entry.Invoice is null)
        {
            if (entry.Secret is null || entry.NotIssuedReason is not null) return [];
            events.Add(new InvoiceIssuedEvent(hash, now, status.AmountMsat, status.PaymentRequest, status.ExpiresAt, status.CltvExpiryDelta));
            state = RecordedInvoiceState.Open;
        }
        if (state == RecordedInvoiceState.Open && status.State is InvoiceState.Accepted || state == RecordedInvoiceState.Open && status.State == InvoiceState.Settled)
        {
            events.Add(new InvoiceAcceptedEvent(hash, now, status.HtlcExpiresAt));
            state = RecordedInvoiceState.Accepted;
        }
        if (state == RecordedInvoiceState.Accepted && status.State == InvoiceState.Settled && status.Preimage is { } preimage)
            events.Add(new InvoiceSettledEvent(hash, now, preimage));
        else if (state is RecordedInvoiceState.Open or RecordedInvoiceState.Accepted && status.State == InvoiceState.Cancelled)
            events.Add(new InvoiceCancelledEvent(hash, now, CancelReasons.Of(status.CancelReason)));
        return events;
    }
}

/// <summary>One wording per cancel reason, whether this node or its Lightning node noticed first.</summary>
public static class CancelReasons
{
    public const string Expired = "expired unpaid";
    public const string HoldExpired = "hold expired unsettled";
    public const string ByThisNode = "cancelled by this node";
    public const string DownstreamFailed = "downstream payment failed";
    public const string TooLate = "too late to pay downstream before the upstream HTLC times out";

    public static string Of(InvoiceCancelReason? reason) => reason switch
    {
        InvoiceCancelReason.Expired => Expired,
        InvoiceCancelReason.HoldExpired => HoldExpired,
        _ => ByThisNode,
    };
}
