using SweetGossip.Node.Core;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using SweetGossip.Lightning.Chain;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

/// <summary>
/// The node's one door to Lightning. Journals every invoice issued and paid, every preimage learned and
/// every timeout, so that after a crash it recovers its view, reconciles it with the Lightning node, and
/// finishes what was in flight: a relay whose upstream was paid still pays downstream, a preimage learned
/// still settles upstream, a hold past its deadline is still cancelled.
/// Rule of order: journal an intent before acting on it (a payment), journal a fact after it happened
/// (an invoice issued, settled, cancelled); recovery resolves the gap by asking the Lightning node.
/// </summary>
public sealed class SettlementActor : ReceivePersistentActor, IWithTimers
{
    private readonly ILightningNode _lightning;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _sweepInterval;
    private readonly PaymentRelayPolicy _relayPolicy;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly Dictionary<Hash32, List<IActorRef>> _paymentWaiters = [];
    // Lightning calls under way, so one trigger never starts the same call twice.
    private readonly HashSet<Hash32> _settling = [];
    private readonly HashSet<Hash32> _cancelling = [];
    // Plain invoices to settle on acceptance (favour prices). In memory: if lost in a crash the payer is refunded at expiry.
    private readonly Dictionary<Hash32, Hash32> _settleOnAccept = [];
    private SettlementLedger _ledger = SettlementLedger.Empty;
    private IDisposable? _subscription;

    public SettlementActor(string persistenceId, ILightningNode lightning, TimeProvider clock, TimeSpan sweepInterval)
    {
        PersistenceId = persistenceId;
        _lightning = lightning;
        _clock = clock;
        _sweepInterval = sweepInterval;
        _relayPolicy = new PaymentRelayPolicy { TimeProvider = clock };

        Recover<SettlementEvent>(e => _ledger = _ledger.Apply(e));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<IssueInvoice>(OnIssueInvoice);
        Command<PayInvoice>(OnPayInvoice);
        Command<DecodeInvoice>(d => _lightning.DecodePaymentRequestAsync(d.PaymentRequest).PipeTo(Sender,
            failure: e => new SettlementRejected(nameof(DecodeInvoice), e.Message)));
        Command<SettleInvoice>(OnSettleInvoice);
        Command<CancelInvoice>(OnCancelInvoice);
        Command<SettleWhenAccepted>(s => { _settleOnAccept[s.Preimage.Sha256()] = s.Preimage; AdvanceRelays(); });
        Command<RelayPayment>(OnRelayPayment);
        Command<SweepExpiredHolds>(_ => CancelExpiredHolds());
        Command<GetSettlementLedger>(_ => Sender.Tell(_ledger));
        Command<SubscribeSettlement>(s => { _subscribers.Add(s.Subscriber); Context.Watch(s.Subscriber); });
        Command<Terminated>(t => _subscribers.Remove(t.ActorRef));

        Command<InvoiceAdded>(OnInvoiceAdded);
        Command<LightningInvoiceUpdate>(u => OnInvoiceStatus(u.Invoice));
        Command<PaymentFinished>(OnPaymentFinished);
        Command<PaymentNeverStarted>(p => StartPayment(p.PaymentHash, p.PaymentRequest, p.AmountMsat, journal: false));
        Command<SettleDone>(OnSettleDone);
        Command<CancelDone>(OnCancelDone);
        Command<LightningCallFailed>(OnLightningCallFailed);
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string persistenceId, ILightningNode lightning, TimeProvider clock, TimeSpan sweepInterval) =>
        ActorFactory.Props(() => new SettlementActor(persistenceId, lightning, clock, sweepInterval));

    // ------------------------------------------------------------------ recovery

    private void OnRecovered()
    {
        var self = Self;
        _subscription = _lightning.SubscribeInvoices(update => self.Tell(new LightningInvoiceUpdate(update.Invoice)));
        // Reconcile what the journal left open with the Lightning node's truth.
        foreach (var invoice in _ledger.Invoices.Values.Where(i => !i.IsFinal))
            _lightning.LookupInvoiceAsync(invoice.PaymentHash).PipeTo(self,
                success: status => new LightningInvoiceUpdate(status),
                failure: e => new LightningCallFailed("LookupInvoice", invoice.PaymentHash, e, ActorRefs.Nobody));
        foreach (var payment in _ledger.PaymentsInFlight())
            _lightning.TrackPaymentAsync(payment.PaymentHash).PipeTo(self,
                success: result => result is null
                    ? new PaymentNeverStarted(payment.PaymentHash, payment.PaymentRequest, payment.AmountMsat)
                    : new PaymentFinished(result),
                failure: e => new LightningCallFailed("TrackPayment", payment.PaymentHash, e, ActorRefs.Nobody));
        AdvanceRelays();
        Timers.StartPeriodicTimer("sweep", SweepExpiredHolds.Instance, _sweepInterval);
        if (_ledger.Invoices.Count + _ledger.Payments.Count > 0)
            _log.Info("settlement {0} recovered: {1} invoices, {2} payments, {3} relays", PersistenceId, _ledger.Invoices.Count, _ledger.Payments.Count, _ledger.Relays.Count);
    }

    protected override void PostStop()
    {
        _subscription?.Dispose();
        base.PostStop();
    }

    // ------------------------------------------------------------------ commands

    private void OnIssueInvoice(IssueInvoice command)
    {
        if (_ledger.Invoices.ContainsKey(command.PaymentHash))
        {
            Sender.Tell(new SettlementRejected(nameof(IssueInvoice), "an invoice under this payment hash already exists"));
            return;
        }
        var replyTo = Sender;
        _lightning.AddHoldInvoiceAsync(command.PaymentHash, command.AmountMsat, command.Memo, command.Expiry, command.CltvExpiryDelta)
            .PipeTo(Self,
                success: invoice => new InvoiceAdded(invoice, null, replyTo),
                failure: e => new LightningCallFailed(nameof(IssueInvoice), command.PaymentHash, e, replyTo));
    }

    private void OnRelayPayment(RelayPayment command)
    {
        var replyTo = Sender;
        DecodedPaymentRequest downstream;
        try
        {
            downstream = _lightning.DecodePaymentRequestAsync(command.DownstreamPaymentRequest).GetAwaiter().GetResult();
        }
        catch (LightningException e)
        {
            replyTo.Tell(new SettlementRejected(nameof(RelayPayment), $"downstream invoice: {e.Message}"));
            return;
        }
        var hash = downstream.PaymentHash;
        if (_ledger.Invoices.ContainsKey(hash) || _ledger.Relays.ContainsKey(hash))
        {
            replyTo.Tell(new SettlementRejected(nameof(RelayPayment), "this node already relays or holds an invoice under that payment hash"));
            return;
        }
        RelayPlan plan;
        try
        {
            plan = RelayPlan.For(downstream, command.Terms, _relayPolicy);
        }
        catch (RelayRefusedException e)
        {
            replyTo.Tell(new SettlementRejected(nameof(RelayPayment), $"{e.Reason}: {e.Message}"));
            return;
        }
        var relay = new RelayRegisteredEvent(hash, command.DownstreamPaymentRequest, downstream.AmountMsat, command.Terms.FeeMsat);
        _lightning.AddHoldInvoiceAsync(hash, plan.UpstreamAmountMsat, command.Terms.Memo, plan.UpstreamExpiry, plan.UpstreamCltvExpiryDelta)
            .PipeTo(Self,
                success: invoice => new InvoiceAdded(invoice, relay, replyTo),
                failure: e => new LightningCallFailed(nameof(RelayPayment), hash, e, replyTo));
    }

    private void OnInvoiceAdded(InvoiceAdded added)
    {
        var invoice = added.Invoice;
        var issued = new InvoiceIssuedEvent(invoice.PaymentHash, invoice.AmountMsat, invoice.PaymentRequest, invoice.ExpiresAt);
        SettlementEvent[] events = added.Relay is { } relay ? [relay, issued] : [issued];
        PersistAll(events, e =>
        {
            _ledger = _ledger.Apply(e);
            if (e is not InvoiceIssuedEvent) return;
            added.ReplyTo.Tell(added.Relay is { } r ? new RelayOpened(invoice, r.DownstreamAmountMsat) : new InvoiceIssued(invoice));
        });
    }

    private void OnPayInvoice(PayInvoice command)
    {
        DecodedPaymentRequest request;
        try
        {
            request = _lightning.DecodePaymentRequestAsync(command.PaymentRequest).GetAwaiter().GetResult();
        }
        catch (LightningException e)
        {
            Sender.Tell(new SettlementRejected(nameof(PayInvoice), e.Message));
            return;
        }
        if (_ledger.Payments.TryGetValue(request.PaymentHash, out var existing))
        {
            if (existing.State == RecordedPaymentState.InFlight)
                Waiters(request.PaymentHash).Add(Sender);
            else
                Sender.Tell(new SettlementRejected(nameof(PayInvoice), $"this payment hash was already paid ({existing.State})"));
            return;
        }
        Waiters(request.PaymentHash).Add(Sender);
        StartPayment(request.PaymentHash, command.PaymentRequest, request.AmountMsat, journal: true);
    }

    private void OnSettleInvoice(SettleInvoice command)
    {
        var hash = command.Preimage.Sha256();
        if (_ledger.RefuseSettle(hash) is { } reason || (_settling.Contains(hash) ? "a settle of this invoice is already under way" : null) is { } busy && (reason = busy) is not null)
        {
            Sender.Tell(new SettlementRejected(nameof(SettleInvoice), reason));
            return;
        }
        Settle(hash, command.Preimage, Sender);
    }

    private void OnCancelInvoice(CancelInvoice command)
    {
        if (_ledger.RefuseCancel(command.PaymentHash) is { } reason)
        {
            Sender.Tell(new SettlementRejected(nameof(CancelInvoice), reason));
            return;
        }
        Cancel(command.PaymentHash, CancelReasonText(InvoiceCancelReason.CancelledByPayee), Sender);
    }

    // ------------------------------------------------------------------ Lightning facts

    private void OnInvoiceStatus(InvoiceStatus status)
    {
        if (!_ledger.Invoices.TryGetValue(status.PaymentHash, out var recorded) || recorded.IsFinal)
            return;
        // Our own settle or cancel under way records its outcome (with our reason) when it returns.
        if (status.State is InvoiceState.Settled or InvoiceState.Cancelled && (_settling.Contains(status.PaymentHash) || _cancelling.Contains(status.PaymentHash)))
            return;
        switch (status.State)
        {
            case InvoiceState.Accepted when recorded.State == RecordedInvoiceState.Open:
                Record(new InvoiceAcceptedEvent(status.PaymentHash, status.HtlcExpiresAt));
                break;
            case InvoiceState.Settled when status.Preimage is { } preimage:
                // Settled through our own call (possibly before a crash): make it a fact here too.
                Record(new InvoiceSettledEvent(status.PaymentHash, preimage));
                break;
            case InvoiceState.Cancelled:
                Record(new InvoiceCancelledEvent(status.PaymentHash, CancelReasonText(status.CancelReason)));
                break;
        }
    }

    private void OnPaymentFinished(PaymentFinished finished)
    {
        var result = finished.Result;
        if (!_ledger.Payments.TryGetValue(result.PaymentHash, out var recorded) || recorded.State != RecordedPaymentState.InFlight)
            return;
        SettlementEvent e = result.Succeeded
            ? new PaymentSucceededEvent(result.PaymentHash, result.Preimage.Value, result.FeeMsat)
            : new PaymentFailedEvent(result.PaymentHash, $"{result.FailureReason}: {result.FailureMessage}");
        Persist(e, _ =>
        {
            _ledger = _ledger.Apply(e);
            if (result.Succeeded)
                Notify(new PreimageLearned(result.PaymentHash, result.Preimage.Value));
            if (_paymentWaiters.Remove(result.PaymentHash, out var waiters))
                foreach (var waiter in waiters) waiter.Tell(new PaymentCompleted(result));
            AdvanceRelays();
        });
    }

    private void OnSettleDone(SettleDone done)
    {
        _settling.Remove(done.PaymentHash);
        Record(new InvoiceSettledEvent(done.PaymentHash, done.Preimage), () => done.ReplyTo.Tell(new InvoiceSettled(done.PaymentHash, done.Preimage)));
    }

    private void OnCancelDone(CancelDone done)
    {
        _cancelling.Remove(done.PaymentHash);
        Record(new InvoiceCancelledEvent(done.PaymentHash, done.Reason), () => done.ReplyTo.Tell(new InvoiceCancelled(done.PaymentHash, done.Reason)));
    }

    private void OnLightningCallFailed(LightningCallFailed failed)
    {
        _settling.Remove(failed.PaymentHash);
        _cancelling.Remove(failed.PaymentHash);
        var reason = failed.Error is LightningException le ? $"{le.Code}: {le.Message}" : failed.Error.Message;
        _log.Warning("lightning {0} for {1} failed: {2}", failed.Operation, failed.PaymentHash, reason);
        failed.ReplyTo.Tell(new SettlementRejected(failed.Operation, reason));
        // The Lightning node's state may have moved (e.g. settled before a crash): look it up to reconcile.
        if (_ledger.Invoices.ContainsKey(failed.PaymentHash))
            _lightning.LookupInvoiceAsync(failed.PaymentHash).PipeTo(Self, success: s => new LightningInvoiceUpdate(s), failure: _ => new Status.Failure(failed.Error));
    }

    // ------------------------------------------------------------------ actions

    private void StartPayment(Hash32 hash, string paymentRequest, ulong amountMsat, bool journal)
    {
        var self = Self;
        void Pay() => _lightning.PayAsync(paymentRequest).PipeTo(self,
            success: result => new PaymentFinished(result),
            failure: e => new PaymentFinished(PaymentResult.Failure(hash, amountMsat, PaymentFailureReason.InvalidInvoice, e.Message)));
        if (!journal)
        {
            Pay();
            return;
        }
        // Intent first: after a crash the journal says a payment may be in flight, and recovery tracks it.
        Persist(new PaymentStartedEvent(hash, paymentRequest, amountMsat), e =>
        {
            _ledger = _ledger.Apply(e);
            Pay();
        });
    }

    private void Settle(Hash32 hash, Hash32 preimage, IActorRef replyTo)
    {
        _settling.Add(hash);
        _lightning.SettleInvoiceAsync(preimage).PipeTo(Self,
            success: () => new SettleDone(hash, preimage, replyTo),
            failure: e => new LightningCallFailed(nameof(SettleInvoice), hash, e, replyTo));
    }

    private void Cancel(Hash32 hash, string reason, IActorRef replyTo)
    {
        _cancelling.Add(hash);
        _lightning.CancelInvoiceAsync(hash).PipeTo(Self,
            success: () => new CancelDone(hash, reason, replyTo),
            failure: e => new LightningCallFailed(nameof(CancelInvoice), hash, e, replyTo));
    }

    /// <summary>Moves every relay one step: pay downstream once upstream is accepted, settle upstream once paid, refund if downstream failed.</summary>
    private void AdvanceRelays()
    {
        foreach (var (hash, preimage) in _settleOnAccept.ToList())
        {
            var state = _ledger.Invoices.GetValueOrDefault(hash)?.State;
            if (state is RecordedInvoiceState.Settled or RecordedInvoiceState.Cancelled)
                _settleOnAccept.Remove(hash);
            else if (state == RecordedInvoiceState.Accepted && !_settling.Contains(hash))
            {
                _settleOnAccept.Remove(hash);
                Settle(hash, preimage, ActorRefs.Nobody);
            }
        }
        foreach (var relay in _ledger.RelaysReadyToPay().ToList())
            StartPayment(relay.PaymentHash, relay.DownstreamPaymentRequest, relay.DownstreamAmountMsat, journal: true);
        foreach (var (relay, preimage) in _ledger.RelaysReadyToSettle().Where(r => !_settling.Contains(r.Relay.PaymentHash)).ToList())
            Settle(relay.PaymentHash, preimage, ActorRefs.Nobody);
        foreach (var relay in _ledger.RelaysToRefund().Where(r => !_cancelling.Contains(r.PaymentHash)).ToList())
            Cancel(relay.PaymentHash, "downstream payment failed", ActorRefs.Nobody);
    }

    private void CancelExpiredHolds()
    {
        foreach (var invoice in _ledger.ExpiredHolds(_clock.GetUtcNow()).Where(i => !_cancelling.Contains(i.PaymentHash)).ToList())
            Cancel(invoice.PaymentHash, CancelReasonText(invoice.State == RecordedInvoiceState.Open ? InvoiceCancelReason.Expired : InvoiceCancelReason.HoldExpired), ActorRefs.Nobody);
    }

    private void Record(SettlementEvent e, Action? then = null) => Persist(e, _ =>
    {
        var before = _ledger.Invoices.GetValueOrDefault(e.PaymentHash)?.State;
        _ledger = _ledger.Apply(e);
        if (_ledger.Invoices.GetValueOrDefault(e.PaymentHash)?.State is { } after && after != before)
            Notify(new InvoiceChanged(e.PaymentHash, after));
        if (e is InvoiceSettledEvent settled)
            Notify(new PreimageLearned(settled.PaymentHash, settled.Preimage));
        then?.Invoke();
        AdvanceRelays();
    });

    /// <summary>One wording per reason, whether this node's sweep or the Lightning node noticed the deadline first.</summary>
    private static string CancelReasonText(InvoiceCancelReason? reason) => reason switch
    {
        InvoiceCancelReason.Expired => "expired unpaid",
        InvoiceCancelReason.HoldExpired => "hold expired unsettled",
        _ => "cancelled by this node",
    };

    private void Notify(object notification)
    {
        foreach (var subscriber in _subscribers) subscriber.Tell(notification);
    }

    private List<IActorRef> Waiters(Hash32 hash) =>
        _paymentWaiters.TryGetValue(hash, out var list) ? list : _paymentWaiters[hash] = [];

    // ------------------------------------------------------------------ internal messages

    private sealed record InvoiceAdded(HoldInvoice Invoice, RelayRegisteredEvent? Relay, IActorRef ReplyTo);
    private sealed record LightningInvoiceUpdate(InvoiceStatus Invoice);
    private sealed record PaymentFinished(PaymentResult Result);
    private sealed record PaymentNeverStarted(Hash32 PaymentHash, string PaymentRequest, ulong AmountMsat);
    private sealed record SettleDone(Hash32 PaymentHash, Hash32 Preimage, IActorRef ReplyTo);
    private sealed record CancelDone(Hash32 PaymentHash, string Reason, IActorRef ReplyTo);
    private sealed record LightningCallFailed(string Operation, Hash32 PaymentHash, Exception Error, IActorRef ReplyTo);
}
