using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

/// <summary>
/// The node's one door to Lightning. It journals before acting (a secret before its invoice, a payment's start
/// and a bought reply before paying) and records facts after they happen; <see cref="SettlementLedger"/> decides
/// what is legal and what is due, this actor carries it out. After a crash it replays its snapshot and journal,
/// looks up what was open and tracks what was in flight, and finishes it.
/// It never blocks and is never restarted by Lightning: every call is piped back under a timeout, and every
/// failure, whatever its type, becomes a <see cref="SettlementRejected"/> and a retry or a reconciliation.
/// </summary>
public sealed class SettlementActor : UntypedPersistentActor, IWithTimers
{
    private enum Call { Issue, Pay, Track, Settle, Cancel, Lookup }

    private readonly ILightningNode _lightning;
    private readonly TimeProvider _clock;
    private readonly SettlementSettings _settings;
    private readonly Action<SettlementEvent>? _onJournaled;
    // Logs through the adapter every persistent actor makes (Eventsourced.Log): a second one of its own was ≈ 0.15 KB per node.
    // Made on first use, the first three let go again when empty (none is enumerated in an order that matters): a simulated
    // node seldom settles anything, and the seven empty tables were ≈ 0.6 KB per node (issue 13 item 3).
    private HashSet<(Hash32, Call)>? _underWay;
    private Dictionary<long, (Hash32 Hash, Call Call)>? _calls;
    private Dictionary<long, (object Command, IActorRef Sender)>? _decoding;
    private Dictionary<Hash32, List<IActorRef>>? _paymentWaiters;
    private Dictionary<Hash32, HashSet<IActorRef>>? _watchers;
    private Dictionary<IActorRef, HashSet<Hash32>>? _watching;
    private HashSet<Hash32>? _deliveriesOffered;
    private IActorRef? _purchaseHandler;
    private SettlementLedger _ledger;
    private IDisposable? _subscription;
    private long _nextId;
    private int _sinceSnapshot;

    public SettlementActor(string persistenceId, ILightningNode lightning, TimeProvider clock, SettlementSettings settings, Action<SettlementEvent>? onJournaled = null)
    {
        PersistenceId = persistenceId;
        (_lightning, _clock, _settings, _onJournaled) = (lightning, clock, settings, onJournaled);
        _ledger = SettlementLedger.Empty(settings.Relay);
    }

    // Switches instead of ReceivePersistentActor's typed handler tables: one settlement actor per node, and the tables
    // were several KB allocated and kept per node (issue 13 item 3).
    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer offer: _ledger = SettlementLedger.Of(_settings.Relay, ((SettlementSnapshot)offer.Snapshot).Entries); break;
            case SettlementEvent e: ApplyJournaled(e); break;
            case RecoveryCompleted: OnRecovered(); break;
            default: Unhandled(message); break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case IssueInvoice c: OnIssueInvoice(c); break;
            case PayInvoice c: Decode(c, c.PaymentRequest); break;
            case RelayPayment c: Decode(c, c.DownstreamPaymentRequest); break;
            case DecodeInvoice c: Decode(c, c.PaymentRequest); break;
            case SettleInvoice c: OnSettleInvoice(c); break;
            case CancelInvoice c: OnCancelInvoice(c); break;
            case WatchPayment c: OnWatch(c); break;
            case AttachPurchaseHandler c: OnAttachPurchaseHandler(c); break;
            case MarkReplyDelivered c: OnMarkReplyDelivered(c); break;
            case SweepExpiredHolds: Sweep(); break;
            case GetSettlementLedger: Sender.Tell(_ledger); break;
            case Terminated t: OnTerminated(t.ActorRef); break;

            case Decoded d: OnDecoded(d); break;
            case DecodeTimedOut t:
                if (TakeDecoding(t.Id, out var pending)) Reject(pending, SettlementRefusal.LightningFailure, "decoding the invoice timed out");
                break;
            case CallDone d: OnCallDone(d); break;
            case CallTimedOut t: OnCallTimedOut(t); break;
            case LightningInvoiceUpdate u: OnInvoiceStatus(u.Status); break;

            case SaveSnapshotSuccess s:
                DeleteMessages(s.Metadata.SequenceNr);
                DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
                break;
            case SaveSnapshotFailure f: Log.Warning("settlement snapshot failed (the journal stays whole): {0}", f.Cause.Message); break;
            case DeleteMessagesFailure f: Log.Warning("deleting journaled settlement events failed: {0}", f.Cause.Message); break;
            case DeleteMessagesSuccess or DeleteSnapshotsSuccess or DeleteSnapshotsFailure: break;
            default: Unhandled(message); break;
        }
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="onJournaled">Called after each event is journaled and applied, before anything is done about it (crash-point tests).</param>
    public static Props Props(string persistenceId, ILightningNode lightning, TimeProvider clock, SettlementSettings settings, Action<SettlementEvent>? onJournaled = null) =>
        ActorFactory.Props(() => new SettlementActor(persistenceId, lightning, clock, settings, onJournaled));

    private DateTimeOffset Now => _clock.GetUtcNow();

    // ------------------------------------------------------------------ recovery

    private void OnRecovered()
    {
        var self = Self;
        _subscription = _lightning.SubscribeInvoices(update => self.Tell(new LightningInvoiceUpdate(update.Invoice)));
        // Reconcile what the journal left open with the Lightning node, then finish what was under way.
        foreach (var hash in _ledger.Active)
            if (_ledger.Invoice(hash) is { IsFinal: false }) Lookup(hash);
        Sweep();
        Timers.StartPeriodicTimer("sweep", SweepExpiredHolds.Instance, _settings.SweepInterval);
        if (!_ledger.Entries.IsEmpty)
            Log.Info("settlement {0} recovered: {1} entries, {2} active", PersistenceId, _ledger.Entries.Count, _ledger.Active.Count);
    }

    protected override void PostStop()
    {
        _subscription?.Dispose();
        base.PostStop();
    }

    // ------------------------------------------------------------------ commands

    private void OnIssueInvoice(IssueInvoice command)
    {
        var hash = command.PaymentHash;
        if (_ledger.RefuseNewHash(hash) is { } refusal)
        {
            Sender.Tell(SettlementRejected.Of(nameof(IssueInvoice), refusal));
            return;
        }
        if (UnderWay((hash, Call.Issue)))
        {
            Sender.Tell(new SettlementRejected(nameof(IssueInvoice), SettlementRefusal.DuplicatePaymentHash, "an invoice under this payment hash is being issued"));
            return;
        }
        if (command.Preimage is { } secret && secret.Sha256() != hash)
        {
            Sender.Tell(new SettlementRejected(nameof(IssueInvoice), SettlementRefusal.WrongPreimage, "the preimage does not hash to the payment hash"));
            return;
        }
        var replyTo = Sender;
        void Issue() => Start(hash, Call.Issue,
            () => _lightning.AddHoldInvoiceAsync(hash, command.AmountMsat, command.Memo, command.Expiry, command.CltvExpiryDelta),
            invoice => new InvoiceAdded(invoice, null, replyTo),
            e => new InvoiceNotAdded(hash, e, replyTo, nameof(IssueInvoice)), replyTo: replyTo, command: nameof(IssueInvoice));
        if (command.Preimage is { } preimage)
            Record([new SecretRegisteredEvent(hash, Now, preimage)], Issue); // the secret first: an accepted HTLC can always be settled
        else
            Issue();
    }

    /// <summary>Commands that need an invoice read first wait here for the decode, bounded.</summary>
    private void Decode(object command, string paymentRequest)
    {
        var waiting = (_decoding?.Count ?? 0) + (_paymentWaiters?.Count ?? 0);
        if (waiting >= _settings.MaxPendingCommands)
        {
            Sender.Tell(new SettlementRejected(command.GetType().Name, SettlementRefusal.Busy, $"{waiting} commands are waiting on Lightning"));
            return;
        }
        var id = ++_nextId;
        (_decoding ??= [])[id] = (command, Sender);
        Timers.StartSingleTimer(("decode", id), new DecodeTimedOut(id), _settings.LightningCallTimeout);
        Pipe(() => _lightning.DecodePaymentRequestAsync(paymentRequest), d => new Decoded(id, d, null), e => new Decoded(id, null, e));
    }

    private void OnDecoded(Decoded decoded)
    {
        Timers.Cancel(("decode", decoded.Id));
        if (!TakeDecoding(decoded.Id, out var pending)) return;
        if (decoded.Request is not { } request)
        {
            // Only the Lightning node saying the request is bad blames the invoice; anything else is this side's trouble.
            Reject(pending, decoded.Error is LightningException { Code: LightningErrorCode.InvalidPaymentRequest } ? SettlementRefusal.InvalidInvoice : SettlementRefusal.LightningFailure,
                $"the invoice cannot be read: {Describe(decoded.Error!)}");
            return;
        }
        switch (pending.Command)
        {
            case DecodeInvoice:
                pending.Sender.Tell(request);
                break;
            case PayInvoice pay:
                StartPayment(pay, request, pending.Sender);
                break;
            case RelayPayment relay:
                OpenRelay(relay, request, pending.Sender);
                break;
        }
    }

    private void StartPayment(PayInvoice command, DecodedPaymentRequest request, IActorRef replyTo)
    {
        var hash = request.PaymentHash;
        var refusal = (command.Terms ?? PaymentTerms.Any).Check(request, Now)
            ?? (command.Purchase is { } bought && bought.Reply.PaymentHash != hash
                ? new Refusal(SettlementRefusal.PaymentHashMismatch, $"the invoice is under {hash}, the reply under {bought.Reply.PaymentHash}")
                : null);
        if (refusal is null && _ledger.Payment(hash) is { State: RecordedPaymentState.InFlight } && command.Purchase is null && command.Terms is null)
        {
            Waiters(hash).Add(replyTo); // the same plain payment asked again: wait for the one under way
            return;
        }
        refusal ??= _ledger.RefusePayment(hash);
        if (refusal is not null)
        {
            Log.Info("not paying {0}: {1}", hash, refusal);
            replyTo.Tell(SettlementRejected.Of(nameof(PayInvoice), refusal));
            return;
        }
        var started = new PaymentStartedEvent(hash, Now, command.PaymentRequest, request.AmountMsat);
        SettlementEvent[] events = command.Purchase is { } purchase ? [new ReplyPurchasedEvent(hash, Now, purchase), started] : [started];
        // Intent first: after a crash the journal says a payment may be in flight, and recovery tracks it.
        Record(events, () =>
        {
            Waiters(hash).Add(replyTo);
            Pay(hash, command.PaymentRequest);
        });
    }

    private void OpenRelay(RelayPayment command, DecodedPaymentRequest downstream, IActorRef replyTo)
    {
        var hash = downstream.PaymentHash;
        var refusal = command.Expected?.Check(downstream, Now) ?? _ledger.RefuseNewHash(hash)
            ?? (UnderWay((hash, Call.Issue)) ? new Refusal(SettlementRefusal.DuplicatePaymentHash, "a relay under this payment hash is being opened") : null);
        var plan = refusal is null ? RelayPlan.For(downstream, command.Terms, _settings.Relay, Now, out refusal) : null;
        if (plan is null)
        {
            replyTo.Tell(SettlementRejected.Of(nameof(RelayPayment), refusal!));
            return;
        }
        var relay = new RelayRegisteredEvent(hash, Now, command.DownstreamPaymentRequest, downstream.AmountMsat, command.Terms.FeeMsat, downstream.CltvExpiryDelta);
        Start(hash, Call.Issue,
            () => _lightning.AddHoldInvoiceAsync(hash, plan.UpstreamAmountMsat, command.Terms.Memo, plan.UpstreamExpiry, plan.UpstreamCltvExpiryDelta),
            invoice => new InvoiceAdded(invoice, relay, replyTo),
            e => new InvoiceNotAdded(hash, e, replyTo, nameof(RelayPayment)), replyTo: replyTo, command: nameof(RelayPayment));
    }

    private void OnSettleInvoice(SettleInvoice command)
    {
        var hash = command.Preimage.Sha256();
        var refusal = _ledger.RefuseSettle(command.Preimage)
            ?? (UnderWay((hash, Call.Settle)) ? new Refusal(SettlementRefusal.Busy, "a settle of this invoice is already under way") : null);
        if (refusal is not null)
            Sender.Tell(SettlementRejected.Of(nameof(SettleInvoice), refusal));
        else
            Settle(hash, command.Preimage, Sender);
    }

    private void OnCancelInvoice(CancelInvoice command)
    {
        var refusal = _ledger.RefuseCancel(command.PaymentHash)
            ?? (UnderWay((command.PaymentHash, Call.Cancel)) ? new Refusal(SettlementRefusal.Busy, "a cancel of this invoice is already under way") : null);
        if (refusal is not null)
            Sender.Tell(SettlementRejected.Of(nameof(CancelInvoice), refusal));
        else
            Cancel(command.PaymentHash, CancelReasons.ByThisNode, Sender);
    }

    private void OnWatch(WatchPayment watch)
    {
        _watching ??= [];
        _watchers ??= [];
        if (_watching.Count >= _settings.MaxPendingCommands && !_watching.ContainsKey(watch.Subscriber))
        {
            watch.Subscriber.Tell(new SettlementRejected(nameof(WatchPayment), SettlementRefusal.Busy, $"{_watching.Count} actors watch payments already"));
            return;
        }
        if (!_watchers.TryGetValue(watch.PaymentHash, out var watchers)) _watchers[watch.PaymentHash] = watchers = [];
        watchers.Add(watch.Subscriber);
        if (!_watching.TryGetValue(watch.Subscriber, out var hashes))
        {
            _watching[watch.Subscriber] = hashes = [];
            Context.Watch(watch.Subscriber);
        }
        hashes.Add(watch.PaymentHash);
    }

    private void OnAttachPurchaseHandler(AttachPurchaseHandler attach)
    {
        _purchaseHandler = attach.Handler;
        _deliveriesOffered?.Clear();
        Context.Watch(attach.Handler);
        // Replies delivered before (within the retention) first, so the app's list is whole again; then the rest.
        foreach (var entry in _ledger.Entries.Values)
            if (entry is { Purchase: { Delivered: true } bought, Payment: { State: RecordedPaymentState.Succeeded, Preimage: { } preimage } paid })
                attach.Handler.Tell(new ReplyPaid(bought.Purchase, preimage, paid.AmountMsat + paid.FeeMsat, AlreadyDelivered: true));
        foreach (var hash in _ledger.Active) Advance(hash);
    }

    private void OnMarkReplyDelivered(MarkReplyDelivered delivered)
    {
        if (_ledger.Check(new ReplyDeliveredEvent(delivered.PaymentHash, Now)) is { } refusal)
            Log.Warning("reply under {0} not marked delivered: {1}", delivered.PaymentHash, refusal);
        else
            Record([new ReplyDeliveredEvent(delivered.PaymentHash, Now)]);
    }

    private void OnTerminated(IActorRef actor)
    {
        if (actor.Equals(_purchaseHandler)) _purchaseHandler = null;
        if (_watching is not null && _watching.Remove(actor, out var hashes))
            foreach (var hash in hashes)
                if (_watchers!.TryGetValue(hash, out var watchers) && watchers.Remove(actor) && watchers.Count == 0)
                    _watchers.Remove(hash);
        if (_paymentWaiters is null) return;
        foreach (var (hash, waiters) in _paymentWaiters.Where(w => w.Value.Contains(actor)).ToList())
            if (waiters.Remove(actor) && waiters.Count == 0) _paymentWaiters.Remove(hash);
    }

    // ------------------------------------------------------------------ Lightning answers

    private void OnCallDone(CallDone done)
    {
        if (TakeCall(done.Id, out var call)) Timers.Cancel(("call", done.Id));
        // A late answer (after its timeout) is still the truth: every handler checks the ledger first.
        switch (done.Result)
        {
            case InvoiceAdded added: OnInvoiceAdded(added); break;
            case InvoiceNotAdded notAdded: OnInvoiceNotAdded(notAdded); break;
            case PaymentFinished finished: OnPaymentFinished(finished.Result); break;
            case PaymentTracked tracked: OnPaymentTracked(tracked); break;
            case PayCallFailed failed: Log.Warning("paying {0}: the Lightning call failed ({1}); the payment will be tracked", failed.PaymentHash, Describe(failed.Error)); break;
            case SettleDone settled: OnSettleDone(settled); break;
            case CancelDone cancelled: OnCancelDone(cancelled); break;
            case InvoiceLookedUp lookedUp: OnInvoiceLookedUp(lookedUp); break;
            case LightningCallFailed failed: OnLightningCallFailed(failed); break;
        }
    }

    private void OnCallTimedOut(CallTimedOut timedOut)
    {
        if (!TakeCall(timedOut.Id, out var call)) return;
        Log.Warning("lightning {0} for {1} did not answer within its timeout; it will be retried or reconciled", call.Call, call.Hash);
        if (timedOut.ReplyTo is { } replyTo && !replyTo.IsNobody())
            replyTo.Tell(new SettlementRejected(timedOut.Command, SettlementRefusal.LightningFailure, $"the Lightning node did not answer {call.Call} in time"));
    }

    private void OnInvoiceAdded(InvoiceAdded added)
    {
        var invoice = added.Invoice;
        var issued = new InvoiceIssuedEvent(invoice.PaymentHash, Now, invoice.AmountMsat, invoice.PaymentRequest, invoice.ExpiresAt, invoice.CltvExpiryDelta);
        SettlementEvent[] events = added.Relay is { } relay ? [relay with { At = Now }, issued] : [issued];
        object answer = added.Relay is { } r ? new RelayOpened(invoice, r.DownstreamAmountMsat) : new InvoiceIssued(invoice);
        if (_ledger.Invoice(invoice.PaymentHash) is not null)
        {
            added.ReplyTo.Tell(answer); // reconciled by a lookup meanwhile
            return;
        }
        Record(events, () => added.ReplyTo.Tell(answer));
    }

    private void OnInvoiceNotAdded(InvoiceNotAdded failed)
    {
        failed.ReplyTo.Tell(new SettlementRejected(failed.Command, SettlementRefusal.LightningFailure, Describe(failed.Error)));
        // A definite refusal ends a registered secret; anything else may have created the invoice: a lookup decides.
        if (failed.Error is LightningException { Code: LightningErrorCode.InvalidArgument } && _ledger[failed.PaymentHash] is { Secret: not null, Invoice: null })
            Record([new InvoiceNotIssuedEvent(failed.PaymentHash, Now, Describe(failed.Error))]);
    }

    private void OnPaymentFinished(PaymentResult result)
    {
        if (_ledger.Payment(result.PaymentHash) is not { State: RecordedPaymentState.InFlight }) return;
        // AlreadyPaid says only that some HTLC holds the invoice: not final for us, tracking tells.
        if (!result.Succeeded && result.FailureReason == PaymentFailureReason.AlreadyPaid) return;
        SettlementEvent e = result.Succeeded
            ? new PaymentSucceededEvent(result.PaymentHash, Now, result.Preimage.Value, result.FeeMsat)
            : new PaymentFailedEvent(result.PaymentHash, Now, $"{result.FailureReason}: {result.FailureMessage}");
        if (_ledger.Check(e) is { } refusal)
        {
            Log.Error("payment result for {0} not recorded: {1}", result.PaymentHash, refusal);
            return;
        }
        Record([e], () =>
        {
            if (_paymentWaiters is not null && _paymentWaiters.Remove(result.PaymentHash, out var waiters))
                foreach (var waiter in waiters) waiter.Tell(new PaymentCompleted(result));
        });
    }

    private void OnPaymentTracked(PaymentTracked tracked)
    {
        if (tracked.Result is { } result)
        {
            OnPaymentFinished(result);
            return;
        }
        // The Lightning node never saw the payment (the crash came between journaling and paying).
        if (_ledger[tracked.PaymentHash] is not { Payment: { State: RecordedPaymentState.InFlight } payment } entry || UnderWay((tracked.PaymentHash, Call.Pay))) return;
        if (entry.Relay is { } relay && !_ledger.Policy.MayPayDownstream(Now, entry.Invoice?.HtlcExpiresAt, relay.DownstreamCltvExpiryDelta))
        {
            // The deadline rule, checked again after recovery: too late now, so never paid; upstream is refunded.
            Record([new PaymentFailedEvent(tracked.PaymentHash, Now, "never reached the Lightning node, and now too late to pay downstream safely")]);
            return;
        }
        Pay(tracked.PaymentHash, payment.PaymentRequest);
    }

    private void OnSettleDone(SettleDone done)
    {
        if (_ledger.Check(new InvoiceSettledEvent(done.PaymentHash, Now, done.Preimage)) is null)
            Record([new InvoiceSettledEvent(done.PaymentHash, Now, done.Preimage)], () => done.ReplyTo.Tell(new InvoiceSettled(done.PaymentHash, done.Preimage)));
        else
            done.ReplyTo.Tell(new InvoiceSettled(done.PaymentHash, done.Preimage));
    }

    private void OnCancelDone(CancelDone done)
    {
        if (_ledger.Check(new InvoiceCancelledEvent(done.PaymentHash, Now, done.Reason)) is null)
            Record([new InvoiceCancelledEvent(done.PaymentHash, Now, done.Reason)], () => done.ReplyTo.Tell(new InvoiceCancelled(done.PaymentHash, done.Reason)));
        else
            done.ReplyTo.Tell(new InvoiceCancelled(done.PaymentHash, _ledger.Invoice(done.PaymentHash)?.CancelReason ?? done.Reason));
    }

    private void OnInvoiceLookedUp(InvoiceLookedUp lookedUp)
    {
        if (lookedUp.Status is { } status)
            OnInvoiceStatus(status);
        else if (_ledger[lookedUp.PaymentHash] is { Secret: not null, Invoice: null, NotIssuedReason: null })
            Record([new InvoiceNotIssuedEvent(lookedUp.PaymentHash, Now, "the Lightning node has no such invoice")]);
    }

    private void OnLightningCallFailed(LightningCallFailed failed)
    {
        var reason = Describe(failed.Error);
        Log.Warning("lightning {0} for {1} failed: {2}", failed.Operation, failed.PaymentHash, reason);
        failed.ReplyTo.Tell(new SettlementRejected(failed.Operation, SettlementRefusal.LightningFailure, reason));
        // The Lightning node's state may have moved (settled before a crash, expired): look it up to reconcile.
        // Not after a failed lookup: that would spin while Lightning is down; the subscription and the sweep carry on.
        if (failed.Operation != "LookupInvoice" && _ledger.Invoice(failed.PaymentHash) is not null) Lookup(failed.PaymentHash);
    }

    private void OnInvoiceStatus(InvoiceStatus status)
    {
        var hash = status.PaymentHash;
        // Our own settle or cancel under way records its outcome (with our reason) when it returns.
        if (status.State is InvoiceState.Settled or InvoiceState.Cancelled && (UnderWay((hash, Call.Settle)) || UnderWay((hash, Call.Cancel))))
            return;
        if (_ledger.Reconcile(status, Now) is not { Count: > 0 } reconciled) return;
        // A relay's payment start goes into the same batch as its upstream's acceptance: one write, not two.
        var events = reconciled.ToList();
        var after = events.Aggregate(_ledger, (ledger, e) => ledger.Check(e) is null ? ledger.Apply(e) : ledger);
        Action? then = null;
        foreach (var action in after.Due(hash, Now))
        {
            switch (action)
            {
                case PayDownstreamDue pay when !UnderWay((hash, Call.Pay)):
                    var started = new PaymentStartedEvent(hash, Now, pay.PaymentRequest, pay.AmountMsat);
                    if (after.Check(started) is not null) break;
                    events.Add(started);
                    (_underWay ??= []).Add((hash, Call.Pay));
                    then = () => Pay(hash, pay.PaymentRequest);
                    break;
            }
        }
        Record(events, then);
    }

    // ------------------------------------------------------------------ acting on what is due

    private void Sweep()
    {
        foreach (var hash in _ledger.Active) Advance(hash);
        MaybeSnapshot();
    }

    /// <summary>Carries out what the ledger says is due for one hash, skipping what is already under way.</summary>
    private void Advance(Hash32 hash)
    {
        foreach (var action in _ledger.Due(hash, Now).ToList())
        {
            switch (action)
            {
                case SettleDue settle when !UnderWay((hash, Call.Settle)):
                    Settle(hash, settle.Preimage, ActorRefs.Nobody);
                    break;
                case CancelDue cancel when !UnderWay((hash, Call.Cancel)) && _ledger.RefuseCancel(hash) is null:
                    Cancel(hash, cancel.Reason, ActorRefs.Nobody);
                    break;
                case PayDownstreamDue pay when !UnderWay((hash, Call.Pay)):
                    var started = new PaymentStartedEvent(hash, Now, pay.PaymentRequest, pay.AmountMsat);
                    if (_ledger.Check(started) is { } refusal)
                        Log.Warning("relay {0} does not pay downstream: {1}", hash, refusal);
                    else
                    {
                        (_underWay ??= []).Add((hash, Call.Pay)); // from now: a second trigger must not journal a second start
                        Record([started], () => Pay(hash, pay.PaymentRequest));
                    }
                    break;
                case TrackPaymentDue when !UnderWay((hash, Call.Pay)) && !UnderWay((hash, Call.Track)):
                    Start(hash, Call.Track, () => _lightning.TrackPaymentAsync(hash),
                        result => new PaymentTracked(hash, result), e => new LightningCallFailed("TrackPayment", hash, e, ActorRefs.Nobody), _settings.PaymentWait);
                    break;
                case LookupInvoiceDue when !UnderWay((hash, Call.Issue)):
                    Lookup(hash);
                    break;
                case DeliverReplyDue deliver when _purchaseHandler is { } handler && (_deliveriesOffered ??= []).Add(hash):
                    var paid = _ledger.Payment(hash)!;
                    handler.Tell(new ReplyPaid(deliver.Purchase, deliver.Preimage, paid.AmountMsat + paid.FeeMsat));
                    break;
            }
        }
    }

    private void Pay(Hash32 hash, string paymentRequest) =>
        Start(hash, Call.Pay, () => _lightning.PayAsync(paymentRequest),
            result => new PaymentFinished(result), e => new PayCallFailed(hash, e), _settings.PaymentWait);

    private void Settle(Hash32 hash, Hash32 preimage, IActorRef replyTo) =>
        Start(hash, Call.Settle, () => Done(_lightning.SettleInvoiceAsync(preimage)),
            _ => new SettleDone(hash, preimage, replyTo), e => new LightningCallFailed(nameof(SettleInvoice), hash, e, replyTo),
            replyTo: replyTo, command: nameof(SettleInvoice));

    private void Cancel(Hash32 hash, string reason, IActorRef replyTo) =>
        Start(hash, Call.Cancel, () => Done(_lightning.CancelInvoiceAsync(hash)),
            _ => new CancelDone(hash, reason, replyTo), e => new LightningCallFailed(nameof(CancelInvoice), hash, e, replyTo),
            replyTo: replyTo, command: nameof(CancelInvoice));

    private void Lookup(Hash32 hash)
    {
        if (UnderWay((hash, Call.Lookup))) return;
        Start(hash, Call.Lookup, () => _lightning.LookupInvoiceAsync(hash),
            status => new InvoiceLookedUp(hash, status),
            e => e is LightningException { Code: LightningErrorCode.InvoiceNotFound } ? new InvoiceLookedUp(hash, null) : new LightningCallFailed("LookupInvoice", hash, e, ActorRefs.Nobody));
    }

    /// <summary>One Lightning call: marked under way, piped back as a message, given up after its timeout.</summary>
    private void Start<T>(Hash32 hash, Call call, Func<Task<T>> lightningCall, Func<T, object> success, Func<Exception, object> failure,
        TimeSpan? timeout = null, IActorRef? replyTo = null, string? command = null)
    {
        var id = ++_nextId;
        (_underWay ??= []).Add((hash, call));
        (_calls ??= [])[id] = (hash, call);
        Timers.StartSingleTimer(("call", id), new CallTimedOut(id, replyTo, command ?? call.ToString()), timeout ?? _settings.LightningCallTimeout);
        Pipe(lightningCall, r => new CallDone(id, success(r)), e => new CallDone(id, failure(e)));
    }

    /// <summary>A call without a result as one with a result; inline, so no continuation hops threads.</summary>
    private static Task<bool> Done(Task task) => task.ContinueWith(static t =>
    {
        t.GetAwaiter().GetResult();
        return true;
    }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Runs a Lightning call and sends its outcome here; a call that throws at once fails like one that fails later.</summary>
    private void Pipe<T>(Func<Task<T>> lightningCall, Func<T, object> success, Func<Exception, object> failure)
    {
        Task<T> task;
        try
        {
            task = lightningCall();
        }
        catch (Exception e)
        {
            task = Task.FromException<T>(e);
        }
        task.PipeTo(Self, success: success, failure: e => failure(e is AggregateException { InnerException: { } inner } ? inner : e));
    }

    // ------------------------------------------------------------------ journal

    /// <summary>
    /// Journals events in order, applies each, then runs <paramref name="then"/> and moves the entry on. What the new
    /// state makes due that journals nothing (a settle with a preimage we hold, handing a paid reply over) starts
    /// while the batch is being written rather than after: it relies only on what Lightning already did, and a
    /// crash in between is reconciled on recovery. Answers to it are handled after the batch (they wait their turn).
    /// </summary>
    private void Record(IReadOnlyList<SettlementEvent> events, Action? then = null)
    {
        if (events.Count > 0)
        {
            var hash = events[^1].PaymentHash;
            var after = events.Aggregate(_ledger, (ledger, e) => ledger.Check(e) is null ? ledger.Apply(e) : ledger);
            foreach (var action in after.Due(hash, Now))
            {
                if (action is SettleDue settle && !UnderWay((hash, Call.Settle)) && after.Invoice(hash) is { State: RecordedInvoiceState.Accepted })
                    Settle(hash, settle.Preimage, ActorRefs.Nobody);
                else if (action is DeliverReplyDue deliver && _purchaseHandler is { } handler && (_deliveriesOffered ??= []).Add(hash) && after.Payment(hash) is { } paid)
                    handler.Tell(new ReplyPaid(deliver.Purchase, deliver.Preimage, paid.AmountMsat + paid.FeeMsat));
            }
        }
        var left = events.Count;
        var handed = System.Diagnostics.Stopwatch.GetTimestamp();
        PersistAll(events, e =>
        {
            var before = _ledger[e.PaymentHash];
            ApplyJournaled(e);
            _onJournaled?.Invoke(e);
            Notify(before, e);
            SettlementMetrics.Journaled(before, _ledger[e.PaymentHash]);
            if (--left > 0) return;
            Observation.NodeMetrics.JournalWritten(System.Diagnostics.Stopwatch.GetElapsedTime(handed));
            then?.Invoke();
            _sinceSnapshot += events.Count;
            Advance(e.PaymentHash);
            if (_ledger[e.PaymentHash] is { IsFinished: true })
                _watchers?.Remove(e.PaymentHash);
        });
    }

    /// <summary>Applies a journaled event; an illegal one (never written by this actor) is logged and skipped, not a crash.</summary>
    private void ApplyJournaled(SettlementEvent e)
    {
        if (_ledger.Check(e) is { } refusal)
            Log.Error("settlement event {0} for {1} skipped: {2}", e.GetType().Name, e.PaymentHash, refusal);
        else
            _ledger = _ledger.Apply(e);
    }

    private void MaybeSnapshot()
    {
        if (_sinceSnapshot < _settings.SnapshotEvery) return;
        _sinceSnapshot = 0;
        _ledger = _ledger.Prune(Now - _settings.Retention);
        SaveSnapshot(new SettlementSnapshot([.. _ledger.Entries.Values]));
    }

    private void Notify(SettlementEntry? before, SettlementEvent e)
    {
        if (_watchers is null || !_watchers.TryGetValue(e.PaymentHash, out var watchers)) return;
        var after = _ledger[e.PaymentHash];
        if (after?.Invoice?.State is { } state && state != before?.Invoice?.State)
            foreach (var w in watchers) w.Tell(new InvoiceChanged(e.PaymentHash, state));
        // Learned: known now, not before (a relay learns it from its payment; a secret was always known).
        if (before?.KnownPreimage is null && after?.KnownPreimage is { } preimage)
            foreach (var w in watchers) w.Tell(new PreimageLearned(e.PaymentHash, preimage));
    }

    private List<IActorRef> Waiters(Hash32 hash) =>
        (_paymentWaiters ??= []).TryGetValue(hash, out var list) ? list : _paymentWaiters[hash] = [];

    private bool UnderWay((Hash32, Call) call) => _underWay?.Contains(call) == true;

    /// <summary>A call answered or given up: no longer under way (tables let go when empty).</summary>
    private bool TakeCall(long id, out (Hash32 Hash, Call Call) call)
    {
        if (_calls is null || !_calls.Remove(id, out call))
        {
            call = default;
            return false;
        }
        // Two calls under one key (the first one's answer already took it) leave nothing to remove.
        if (_underWay is not null && _underWay.Remove((call.Hash, call.Call)) && _underWay.Count == 0) _underWay = null;
        if (_calls.Count == 0) _calls = null;
        return true;
    }

    private bool TakeDecoding(long id, out (object Command, IActorRef Sender) pending)
    {
        if (_decoding is null || !_decoding.Remove(id, out pending))
        {
            pending = default;
            return false;
        }
        if (_decoding.Count == 0) _decoding = null;
        return true;
    }

    private static void Reject((object Command, IActorRef Sender) pending, SettlementRefusal reason, string detail) =>
        pending.Sender.Tell(new SettlementRejected(pending.Command.GetType().Name, reason, detail));

    private static string Describe(Exception e) => e is LightningException le ? $"{le.Code}: {le.Message}" : $"{e.GetType().Name}: {e.Message}";

    // ------------------------------------------------------------------ internal messages

    private sealed record Decoded(long Id, DecodedPaymentRequest? Request, Exception? Error);
    private sealed record DecodeTimedOut(long Id);
    private sealed record CallDone(long Id, object Result);
    private sealed record CallTimedOut(long Id, IActorRef? ReplyTo, string Command);
    private sealed record LightningInvoiceUpdate(InvoiceStatus Status);
    private sealed record InvoiceAdded(HoldInvoice Invoice, RelayRegisteredEvent? Relay, IActorRef ReplyTo);
    private sealed record InvoiceNotAdded(Hash32 PaymentHash, Exception Error, IActorRef ReplyTo, string Command);
    private sealed record PaymentFinished(PaymentResult Result);
    private sealed record PaymentTracked(Hash32 PaymentHash, PaymentResult? Result);
    private sealed record PayCallFailed(Hash32 PaymentHash, Exception Error);
    private sealed record SettleDone(Hash32 PaymentHash, Hash32 Preimage, IActorRef ReplyTo);
    private sealed record CancelDone(Hash32 PaymentHash, string Reason, IActorRef ReplyTo);
    private sealed record InvoiceLookedUp(Hash32 PaymentHash, InvoiceStatus? Status);
    private sealed record LightningCallFailed(string Operation, Hash32 PaymentHash, Exception Error, IActorRef ReplyTo);
}

/// <summary>The ledger's retained entries at one point, so the journal before it can be deleted.</summary>
public sealed record SettlementSnapshot(IReadOnlyList<SettlementEntry> Entries);
