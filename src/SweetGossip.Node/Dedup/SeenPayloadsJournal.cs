using SweetGossip.Node.Core;
using Akka.Actor;
using Akka.Persistence;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Dedup;

/// <summary>A payload this node accepted, kept until it expires.</summary>
public sealed record PayloadSeen(PayloadId PayloadId, DateTimeOffset ExpiresAt);

/// <summary>Payloads accepted while the journal's previous write was under way: one row for all of them.</summary>
public sealed record PayloadsSeen(IReadOnlyList<PayloadSeen> Entries);

/// <summary>The live entries at one point, so the journal before it can be deleted.</summary>
public sealed record SeenPayloadsSnapshot(IReadOnlyList<PayloadSeen> Entries);

/// <summary>To the node guardian after recovery: every payload seen that has not expired.</summary>
public sealed record SeenPayloadsRecovered(IReadOnlyList<PayloadSeen> Entries);

/// <summary>
/// Makes dedup by payload id survive restarts: the node tells it each payload it accepts, it journals
/// them and, on start, hands the live ones back. Written with PersistAsync (the node does not wait): a
/// crash can forget the last few milliseconds of entries, which costs at most re-carrying those topics,
/// each of which still has to pay a new, single-use favour. Snapshots keep the journal short.
/// Group commit: one write at a time; payloads arriving meanwhile wait and go out as one <see cref="PayloadsSeen"/> row
/// when it completes. A quiet node writes each payload at once, a busy relay one row per write instead of one per topic
/// (each row's way through the SQL journal cost a relay about a fifth of its rate, docs/benchmarks.md).
/// </summary>
public sealed class SeenPayloadsJournal : UntypedPersistentActor
{
    private const int SnapshotEvery = 1_000;

    private readonly TimeProvider _clock;
    private readonly Dictionary<PayloadId, DateTimeOffset> _live = [];
    // Bounded by the node's topics in flight: each waiting entry is a topic accepted during one write.
    private List<PayloadSeen> _waiting = [];
    private bool _writing;
    private int _sinceSnapshot;

    private readonly Action<PayloadsSeen>? _onWritten;

    public SeenPayloadsJournal(string persistenceId, TimeProvider clock, Action<PayloadsSeen>? onWritten = null)
    {
        PersistenceId = persistenceId;
        (_clock, _onWritten) = (clock, onWritten);

    }

    // Switches instead of ReceivePersistentActor's typed handler tables: one journal per node, and the tables were
    // several KB allocated and kept per node (issue 13 item 3).
    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer offer:
                foreach (var entry in ((SeenPayloadsSnapshot)offer.Snapshot).Entries) _live[entry.PayloadId] = entry.ExpiresAt;
                break;
            case PayloadSeen seen: _live[seen.PayloadId] = seen.ExpiresAt; break;
            case PayloadsSeen seen:
                foreach (var e in seen.Entries) _live[e.PayloadId] = e.ExpiresAt;
                break;
            case RecoveryCompleted:
                DropExpired();
                Context.Parent.Tell(new SeenPayloadsRecovered(Entries()));
                break;
            default: Unhandled(message); break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case PayloadSeen seen:
                _waiting.Add(seen);
                if (!_writing) WriteWaiting();
                break;
            case SaveSnapshotSuccess s: DeleteMessages(s.Metadata.SequenceNr); break;
            case SaveSnapshotFailure or DeleteMessagesSuccess or DeleteMessagesFailure: break;
            default: Unhandled(message); break;
        }
    }

    public override string PersistenceId { get; }

    /// <param name="onWritten">Called with each row once written (tests).</param>
    public static Props Props(string persistenceId, TimeProvider clock, Action<PayloadsSeen>? onWritten = null) =>
        ActorFactory.Props(() => new SeenPayloadsJournal(persistenceId, clock, onWritten));

    private void WriteWaiting()
    {
        var batch = _waiting;
        _waiting = [];
        _writing = true;
        PersistAsync(new PayloadsSeen(batch), written =>
        {
            foreach (var e in written.Entries) _live[e.PayloadId] = e.ExpiresAt;
            _onWritten?.Invoke(written);
            _sinceSnapshot += written.Entries.Count;
            if (_sinceSnapshot >= SnapshotEvery)
            {
                _sinceSnapshot = 0;
                DropExpired();
                SaveSnapshot(new SeenPayloadsSnapshot(Entries()));
            }
            _writing = false;
            if (_waiting.Count > 0) WriteWaiting();
        });
    }

    private void DropExpired()
    {
        var now = _clock.GetUtcNow();
        foreach (var id in _live.Where(e => e.Value < now).Select(e => e.Key).ToList()) _live.Remove(id);
    }

    private List<PayloadSeen> Entries() => _live.Select(e => new PayloadSeen(e.Key, e.Value)).ToList();
}
