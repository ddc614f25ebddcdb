using Akka.Actor;
using SweetGossip.Node.Transport;

namespace SweetGossip.Simulation.Partitioned;

/// <summary>
/// Carries messages between the nodes of a partitioned run. Every message between two nodes, whether or
/// not they share a partition, goes into the sender's partition outbox stamped (arrival, sender, sender's
/// count) and is scheduled at the receiver when the window ends, so a node sees the same arrivals in the same
/// order for any partitioning. Arrivals are at least the lookahead after sending (links are floored, link
/// set-up takes the link's floored set-up latency), so they always fall in a later window.
/// </summary>
internal sealed class PartitionCourier(PartitionLayout layout, Func<int, int, TimeSpan> setupDelay, DateTimeOffset start) : IInMemoryCourier
{
    public InMemoryNetwork? Network { get; set; }

    public void Send(string from, string to, DateTimeOffset arrival, IActorRef target, object message, IActorRef sender)
    {
        var (fromNode, toNode) = (PartitionLayout.NodeOf(from), PartitionLayout.NodeOf(to));
        Post(fromNode, toNode, (arrival - start).Ticks, () => target.Tell(message, sender));
    }

    public void SendSetup(string from, string to, IActorRef? target, object message, IActorRef sender, object? undeliverable)
    {
        var (fromNode, toNode) = (PartitionLayout.NodeOf(from), PartitionLayout.NodeOf(to));
        var arrival = layout.PartitionOfNode(fromNode).NowTicks + setupDelay(fromNode, toNode).Ticks;
        Post(fromNode, toNode, arrival, () =>
        {
            // Runs where the receiver lives, at arrival: its address book entry is written only there.
            var receiver = target ?? Network?.Lookup(to);
            if (receiver is not null) receiver.Tell(message, sender);
            else if (undeliverable is not null) SendSetup(to, from, sender, undeliverable, ActorRefs.NoSender!, null);
        });
    }

    private void Post(int fromNode, int toNode, long arrivalTicks, Action deliver)
    {
        var partition = layout.PartitionOfNode(fromNode);
        partition.Outbox.Add(new Parcel(new Stamp(arrivalTicks, fromNode, layout.NextSequence(fromNode)), layout.PartitionIndexOf(toNode), deliver));
    }
}
