using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;

namespace SweetGossip.Simulation.Runtime;

/// <summary>
/// An in-memory journal that answers at once, in the same message: Akka's own memory journal goes through
/// tasks and a circuit breaker, whose continuations may run on the thread pool and make a run unrepeatable.
/// Speaks the journal protocol (write, replay, delete) exactly as persistent actors expect it.
/// </summary>
public sealed class SimulationJournal : ActorBase
{
    private readonly Dictionary<string, Stream> _streams = new(StringComparer.Ordinal);

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case WriteMessages write:
                Write(write);
                return true;
            case ReplayMessages replay:
                Replay(replay);
                return true;
            case DeleteMessagesTo delete:
                if (_streams.TryGetValue(delete.PersistenceId, out var stream))
                    stream.Events.RemoveAll(e => e.SequenceNr <= delete.ToSequenceNr);
                delete.PersistentActor.Tell(new DeleteMessagesSuccess(delete.ToSequenceNr));
                return true;
            default:
                return false;
        }
    }

    private void Write(WriteMessages write)
    {
        write.PersistentActor.Tell(WriteMessagesSuccessful.Instance);
        foreach (var envelope in write.Messages)
        {
            switch (envelope)
            {
                case AtomicWrite atomic:
                    foreach (var persistent in (IImmutableList<IPersistentRepresentation>)atomic.Payload)
                    {
                        var stream = StreamOf(persistent.PersistenceId);
                        stream.Events.Add(persistent);
                        stream.Highest = Math.Max(stream.Highest, persistent.SequenceNr);
                        write.PersistentActor.Tell(new WriteMessageSuccess(persistent, write.ActorInstanceId), persistent.Sender);
                    }
                    break;
                default:
                    // Akka's (internal) NonPersistentMessage, from Defer: loop it back as Akka's journals do.
                    var type = envelope.GetType();
                    var loopMessage = type.GetProperty("Message")?.GetValue(envelope);
                    var loopSender = type.GetProperty("Sender", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)?.GetValue(envelope) as IActorRef;
                    write.PersistentActor.Tell(new LoopMessageSuccess(loopMessage, write.ActorInstanceId), loopSender ?? ActorRefs.NoSender);
                    break;
            }
        }
    }

    private void Replay(ReplayMessages replay)
    {
        var highest = 0L;
        if (_streams.TryGetValue(replay.PersistenceId, out var stream))
        {
            highest = stream.Highest;
            var sent = 0L;
            foreach (var persistent in stream.Events)
            {
                if (persistent.SequenceNr < replay.FromSequenceNr || persistent.SequenceNr > replay.ToSequenceNr) continue;
                if (sent++ >= replay.Max) break;
                replay.PersistentActor.Tell(new ReplayedMessage(persistent));
            }
        }
        replay.PersistentActor.Tell(new RecoverySuccess(highest));
    }

    private Stream StreamOf(string persistenceId)
    {
        if (!_streams.TryGetValue(persistenceId, out var stream))
            _streams[persistenceId] = stream = new Stream();
        return stream;
    }

    private sealed class Stream
    {
        public List<IPersistentRepresentation> Events { get; } = [];

        public long Highest { get; set; }
    }
}
