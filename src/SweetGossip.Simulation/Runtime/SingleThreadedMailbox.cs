using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace SweetGossip.Simulation.Runtime;

/// <summary>
/// The simulation's default mailbox: a plain queue instead of Akka's concurrent one. Every enqueue and
/// dequeue happens on the simulation's one thread, and a concurrent queue's first segment (32 slots per
/// actor) was a quarter of a 20,000-peer run's live heap (dotnet-gcdump). Actors that stash get
/// <see cref="SingleThreadedDequeMailbox"/> (chosen by their requirements, not by the default).
/// </summary>
public sealed class SingleThreadedMailbox(Settings settings, Config config)
    : MailboxType(settings, config), IProducesMessageQueue<SingleThreadedMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new SingleThreadedMessageQueue();
}

/// <summary>
/// An unbounded FIFO for one thread (see <see cref="SingleThreadedMailbox"/>). Most turns find one message, so the first
/// waits in a field and a queue is made only while two or more wait, let go when it empties: an emptied queue kept its
/// array (≈ 150 bytes per actor, ≈ 0.7 KB per simulated peer) for the rest of the run.
/// </summary>
public class SingleThreadedMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private Envelope _first;
    private bool _hasFirst;
    // Messages after the first, in order; null while none wait.
    private Queue<Envelope>? _rest;

    public bool HasMessages => _hasFirst || _rest is not null;

    public int Count => (_hasFirst ? 1 : 0) + (_rest?.Count ?? 0);

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        if (!_hasFirst && _rest is null) (_first, _hasFirst) = (envelope, true);
        else (_rest ??= new Queue<Envelope>()).Enqueue(envelope);
    }

    public bool TryDequeue(out Envelope envelope)
    {
        if (_hasFirst)
        {
            (envelope, _first, _hasFirst) = (_first, default, false);
            return true;
        }
        if (_rest is null)
        {
            envelope = default;
            return false;
        }
        envelope = _rest.Dequeue();
        if (_rest.Count == 0) _rest = null;
        return true;
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
    }
}

/// <summary>
/// The simulation's mailbox for actors that stash (the node's guardian and transport, persistent actors): a plain
/// deque instead of Akka's concurrent queue, whose first segment alone is about 1 KB per actor (4 KB per peer).
/// </summary>
public sealed class SingleThreadedDequeMailbox(Settings settings, Config config)
    : MailboxType(settings, config), IProducesMessageQueue<SingleThreadedDequeMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new SingleThreadedDequeMessageQueue();
}

/// <summary>Akka's deque wrapper (unstashed messages go in front, as with Akka's own) over the plain queue.</summary>
public sealed class SingleThreadedDequeMessageQueue()
    : DequeWrapperMessageQueue(new SingleThreadedMessageQueue()), IUnboundedDequeBasedMessageQueueSemantics;
