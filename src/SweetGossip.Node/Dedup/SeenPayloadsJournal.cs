using SweetGossip.Node.Core;
using Akka.Actor;
using Akka.Persistence;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Dedup;

/// <summary>A payload this node accepted, kept until it expires.</summary>
public sealed record PayloadSeen(PayloadId PayloadId, DateTimeOffset ExpiresAt);

/// <summary>The live entries at one point, so the journal before it can be deleted.</summary>
public sealed record SeenPayloadsSnapshot(IReadOnlyList<PayloadSeen> Entries);

/// <summary>To the node guardian after recovery: every payload seen that has not expired.</summary>
public sealed record SeenPayloadsRecovered(IReadOnlyList<PayloadSeen> Entries);

/// <summary>
/// Makes dedup by payload id survive restarts: the node tells it each payload it accepts, it journals
/// them and, on start, hands the live ones back. Written with PersistAsync (the node does not wait): a
/// crash can forget the last few milliseconds of entries, which costs at most re-carrying those topics,
/// each of which still has to pay a new, single-use favour. Snapshots keep the journal short.
/// </summary>
public sealed class SeenPayloadsJournal : ReceivePersistentActor
{
    private const int SnapshotEvery = 1_000;

    private readonly TimeProvider _clock;
    private readonly Dictionary<PayloadId, DateTimeOffset> _live = [];
    private int _sinceSnapshot;

    public SeenPayloadsJournal(string persistenceId, TimeProvider clock)
    {
        PersistenceId = persistenceId;
        _clock = clock;

        Recover<SnapshotOffer>(offer =>
        {
            foreach (var entry in ((SeenPayloadsSnapshot)offer.Snapshot).Entries) _live[entry.PayloadId] = entry.ExpiresAt;
        });
        Recover<PayloadSeen>(seen => _live[seen.PayloadId] = seen.ExpiresAt);
        Recover<RecoveryCompleted>(_ =>
        {
            DropExpired();
            Context.Parent.Tell(new SeenPayloadsRecovered(Entries()));
        });

        Command<PayloadSeen>(seen => PersistAsync(seen, e =>
        {
            _live[e.PayloadId] = e.ExpiresAt;
            if (++_sinceSnapshot < SnapshotEvery) return;
            _sinceSnapshot = 0;
            DropExpired();
            SaveSnapshot(new SeenPayloadsSnapshot(Entries()));
        }));
        Command<SaveSnapshotSuccess>(s => DeleteMessages(s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(_ => { });
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(_ => { });
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, TimeProvider clock) =>
        ActorFactory.Props(() => new SeenPayloadsJournal(persistenceId, clock));

    private void DropExpired()
    {
        var now = _clock.GetUtcNow();
        foreach (var id in _live.Where(e => e.Value < now).Select(e => e.Key).ToList()) _live.Remove(id);
    }

    private List<PayloadSeen> Entries() => _live.Select(e => new PayloadSeen(e.Key, e.Value)).ToList();
}
