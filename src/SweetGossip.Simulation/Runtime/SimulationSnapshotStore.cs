using Akka.Actor;
using Akka.Persistence;

namespace SweetGossip.Simulation.Runtime;

/// <summary>In-memory snapshots answered at once, for the same reason as <see cref="SimulationJournal"/>.</summary>
public sealed class SimulationSnapshotStore : ActorBase
{
    private readonly Dictionary<string, List<SelectedSnapshot>> _snapshots = new(StringComparer.Ordinal);

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case LoadSnapshot load:
                var found = _snapshots.TryGetValue(load.PersistenceId, out var list)
                    ? list.LastOrDefault(s => s.Metadata.SequenceNr <= load.Criteria.MaxSequenceNr && s.Metadata.SequenceNr <= load.ToSequenceNr)
                    : null;
                Sender.Tell(new LoadSnapshotResult(found, load.ToSequenceNr));
                return true;
            case SaveSnapshot save:
                if (!_snapshots.TryGetValue(save.Metadata.PersistenceId, out var saved))
                    _snapshots[save.Metadata.PersistenceId] = saved = [];
                saved.RemoveAll(s => s.Metadata.SequenceNr == save.Metadata.SequenceNr);
                saved.Add(new SelectedSnapshot(save.Metadata, save.Snapshot));
                Sender.Tell(new SaveSnapshotSuccess(save.Metadata));
                return true;
            case DeleteSnapshot delete:
                if (_snapshots.TryGetValue(delete.Metadata.PersistenceId, out var one))
                    one.RemoveAll(s => s.Metadata.SequenceNr == delete.Metadata.SequenceNr);
                Sender.Tell(new DeleteSnapshotSuccess(delete.Metadata));
                return true;
            case DeleteSnapshots deleteMany:
                if (_snapshots.TryGetValue(deleteMany.PersistenceId, out var many))
                    many.RemoveAll(s => s.Metadata.SequenceNr <= deleteMany.Criteria.MaxSequenceNr);
                Sender.Tell(new DeleteSnapshotsSuccess(deleteMany.Criteria));
                return true;
            default:
                return false;
        }
    }
}
