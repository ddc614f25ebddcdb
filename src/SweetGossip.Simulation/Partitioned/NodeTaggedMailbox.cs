using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;
using SweetGossip.Simulation.Runtime;

namespace SweetGossip.Simulation.Partitioned;

/// <summary>A message queue that knows which simulated node its actor belongs to (−1: none, e.g. a system actor).</summary>
internal interface INodeTagged
{
    int Node { get; }
}

/// <summary>
/// The default mailbox of a partitioned run: <see cref="SingleThreadedMailbox"/>'s plain queue, tagged with
/// its actor's node so the run queue can switch to that node's own fresh randomness before the actor runs.
/// </summary>
public sealed class NodeTaggedMailbox(Settings settings, Config config)
    : MailboxType(settings, config), IProducesMessageQueue<NodeTaggedMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new NodeTaggedMessageQueue(NodeOfActor.Of(owner));
}

/// <summary>An unbounded FIFO for one thread (<see cref="SingleThreadedMessageQueue"/>), tagged with its node.</summary>
public sealed class NodeTaggedMessageQueue(int node) : SingleThreadedMessageQueue, INodeTagged
{
    public int Node => node;
}

/// <summary>The deque mailbox (for actors that stash) of a partitioned run, tagged with its node.</summary>
public sealed class NodeTaggedDequeMailbox(Settings settings, Config config)
    : MailboxType(settings, config), IProducesMessageQueue<NodeTaggedDequeMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new NodeTaggedDequeMessageQueue(NodeOfActor.Of(owner));
}

/// <summary>Akka's deque wrapper over a node-tagged queue.</summary>
public sealed class NodeTaggedDequeMessageQueue(int node)
    : DequeWrapperMessageQueue(new NodeTaggedMessageQueue(node)), IUnboundedDequeBasedMessageQueueSemantics, INodeTagged
{
    public int Node => node;
}

/// <summary>Which node an actor belongs to, from its path: each node's guardian is the top-level actor n{id}, all its actors below it.</summary>
internal static class NodeOfActor
{
    public static int Of(IActorRef? owner)
    {
        if (owner is null) return -1;
        var path = owner.Path;
        // Walk up to the child of /user.
        while (path.Parent is { } parent && !(parent.Name == "user" && parent.Parent is RootActorPath)) path = parent;
        if (path.Parent is not { Name: "user" }) return -1;
        var name = path.Name.AsSpan();
        if (name.Length < 2 || name[0] != 'n') return -1;
        var end = 1;
        while (end < name.Length && char.IsAsciiDigit(name[end])) end++;
        return end > 1 && int.TryParse(name[1..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : -1;
    }
}
