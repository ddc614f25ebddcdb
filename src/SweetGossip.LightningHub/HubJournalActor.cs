using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.LightningHub;

/// <summary>
/// The hub's one writer. Each command becomes an event that is journaled before it is applied to the
/// <see cref="HubLedger"/> and before the caller gets its answer, so whatever the HTTP face answered survives a
/// kill -9; commands wait (stashed by Persist) while an event is being written, so the journal's order is the
/// order things happened in. A due deadline is journaled as its own event before anything else runs at that time,
/// and a timer journals them while the hub is idle. Recovery loads the latest snapshot and replays the events after
/// it; a snapshot every <c>snapshotEvery</c> events bounds that, and the events before the previous snapshot go.
/// </summary>
internal sealed class HubJournalActor : ReceivePersistentActor, IWithTimers
{
    public const string JournalId = "lightning-hub";

    private static readonly TimeSpan DeadlineCheck = TimeSpan.FromSeconds(1);

    private readonly HubLedger _ledger;
    private readonly TimeProvider _wall;
    private readonly int _snapshotEvery;
    private readonly TaskCompletionSource<HubRecovery> _recovered;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _snapshotAt;
    private int _sinceSnapshot;
    private int _replayed;

    public HubJournalActor(HubLedger ledger, TimeProvider wall, int snapshotEvery, TaskCompletionSource<HubRecovery> recovered)
    {
        (_ledger, _wall, _snapshotEvery, _recovered) = (ledger, wall, snapshotEvery, recovered);

        Recover<SnapshotOffer>(offer =>
        {
            _ledger.Import((HubSnapshot)offer.Snapshot);
            _snapshotAt = offer.Metadata.SequenceNr;
        });
        Recover<HubEvent>(e =>
        {
            ApplyRefusable(e);
            _replayed++;
            _sinceSnapshot++;
        });
        Recover<RecoveryCompleted>(_ =>
        {
            Timers.StartPeriodicTimer("deadlines", ApplyDeadlines.Instance, DeadlineCheck);
            _recovered.TrySetResult(new HubRecovery(_ledger.NodeCount, _snapshotAt, _replayed));
        });

        Command<OpenHubNode>(OnOpen);
        Command<AddHubInvoice>(OnAddInvoice);
        Command<PayFromHub>(c => WithNode(c.Name, node => Record(new HubPaymentSent(Now(), node.Index, c.PaymentRequest), made => made)));
        Command<SettleAtHub>(c => WithNode(c.Name, node => Record(new HubInvoiceSettled(Now(), node.Index, c.Preimage), _ => null)));
        Command<CancelAtHub>(c => WithNode(c.Name, node => Record(new HubInvoiceCancelled(Now(), node.Index, c.PaymentHash), _ => null)));
        Command<ApplyDeadlines>(_ =>
        {
            var now = Now();
            if (_ledger.IsDeadlineDue(now)) Persist(new HubDeadlinesApplied(now), Applied);
        });
        Command<SaveSnapshotSuccess>(OnSnapshotSaved);
        Command<SaveSnapshotFailure>(f => _log.Warning("snapshot at {0} failed: {1}", f.Metadata.SequenceNr, f.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => _log.Warning("deleting events up to {0} failed: {1}", f.ToSequenceNr, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("deleting old snapshots failed: {0}", f.Cause.Message));
    }

    public override string PersistenceId => JournalId;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(HubLedger ledger, TimeProvider wall, int snapshotEvery, TaskCompletionSource<HubRecovery> recovered) =>
        Akka.Actor.Props.Create(() => new HubJournalActor(ledger, wall, snapshotEvery, recovered));

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _recovered.TrySetException(new InvalidDataException($"the hub's journal cannot be recovered: {reason.Message}", reason));
        base.OnRecoveryFailure(reason, message);
    }

    protected override void PostStop()
    {
        _recovered.TrySetException(new InvalidOperationException("the hub's journal stopped"));
        base.PostStop();
    }

    private void OnOpen(OpenHubNode command)
    {
        try
        {
            HubLedger.CheckName(command.Name);
        }
        catch (LightningException e)
        {
            Sender.Tell(new HubRefusal(e));
            return;
        }
        if (_ledger.Find(command.Name) is { } known)
        {
            Sender.Tell(new HubAnswer(View(known, created: false)));
            return;
        }
        if (_ledger.DepositedMsat > ulong.MaxValue - command.OpeningBalanceMsat)
        {
            Sender.Tell(new HubRefusal(new LightningException(LightningErrorCode.InvalidArgument, "opening_balance_msat: the hub's money would exceed 2^64 msat")));
            return;
        }
        Record(new HubNodeOpened(Now(), command.Name, PrivateKey.Generate(), command.OpeningBalanceMsat), made => View((HubNode)made!, created: true));
    }

    private void OnAddInvoice(AddHubInvoice c) => WithNode(c.Name, node =>
    {
        var now = Now();
        HoldInvoice prepared;
        try
        {
            prepared = _ledger.PrepareInvoice(node, c.PaymentHash, c.AmountMsat, c.Memo, c.Expiry, c.CltvExpiryDelta, now);
        }
        catch (LightningException e)
        {
            Sender.Tell(new HubRefusal(e));
            return;
        }
        Record(new HubInvoiceAdded(now, node.Index, prepared, c.Memo), made => made);
    });

    private void WithNode(string name, Action<HubNode> then)
    {
        if (_ledger.Find(name) is { } node) then(node);
        else Sender.Tell(new HubRefusal(HubLedger.NoSuchNode(name)));
    }

    /// <summary>Journals <paramref name="e"/> (after the deadlines due by its time, if any), then applies it and answers.</summary>
    private void Record(HubEvent e, Func<object?, object?> answer)
    {
        var replyTo = Sender;
        if (_ledger.IsDeadlineDue(e.At)) Persist(new HubDeadlinesApplied(e.At), Applied);
        Persist(e, persisted =>
        {
            object reply;
            try
            {
                reply = new HubAnswer(answer(_ledger.Apply(persisted)));
            }
            catch (LightningException refused)
            {
                reply = new HubRefusal(refused); // refused again, identically, when replayed
            }
            Counted();
            replyTo.Tell(reply);
        });
    }

    private void Applied(HubEvent e)
    {
        ApplyRefusable(e);
        Counted();
    }

    private void ApplyRefusable(HubEvent e)
    {
        try
        {
            _ledger.Apply(e);
        }
        catch (LightningException)
        {
            // As it was when it ran: refused, and nothing changed.
        }
    }

    private void Counted()
    {
        if (++_sinceSnapshot < _snapshotEvery) return;
        _sinceSnapshot = 0;
        SaveSnapshot(_ledger.Export());
    }

    /// <summary>Keeps this snapshot and the one before it (with the events after that), so a latest snapshot that cannot be read can be removed by hand.</summary>
    private void OnSnapshotSaved(SaveSnapshotSuccess saved)
    {
        if (_snapshotAt > 0)
        {
            DeleteMessages(_snapshotAt);
            DeleteSnapshots(new SnapshotSelectionCriteria(_snapshotAt - 1));
        }
        _snapshotAt = saved.Metadata.SequenceNr;
    }

    private HubNodeView View(HubNode node, bool created) => new(node.Name, node.NodeId, created, _ledger.Sequence(node));

    /// <summary>Now by the wall clock, never before the ledger's time (a clock stepped back must not reorder the journal's times).</summary>
    private DateTimeOffset Now()
    {
        var wall = _wall.GetUtcNow();
        var ledger = _ledger.Now;
        return wall > ledger ? wall : ledger;
    }

    private sealed class ApplyDeadlines
    {
        public static readonly ApplyDeadlines Instance = new();
    }
}
