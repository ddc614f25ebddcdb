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

/// <summary>An unbounded FIFO for one thread (see <see cref="SingleThreadedMailbox"/>).</summary>
public sealed class SingleThreadedMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly Queue<Envelope> _queue = new();

    public bool HasMessages => _queue.Count > 0;

    public int Count => _queue.Count;

    public void Enqueue(IActorRef receiver, Envelope envelope) => _queue.Enqueue(envelope);

    public bool TryDequeue(out Envelope envelope) => _queue.TryDequeue(out envelope);

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (_queue.TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
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
