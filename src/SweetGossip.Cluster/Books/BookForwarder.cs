using Akka.Actor;
using Akka.Cluster.Sharding;

namespace SweetGossip.Cluster.Books;

/// <summary>
/// Stands where a node's local settlement actor stood: wraps each message for one book and forwards it to the region,
/// so answers go straight back to the original sender, wherever the book runs.
/// </summary>
internal sealed class BookForwarder : ReceiveActor
{
    public BookForwarder(IActorRef region, string bookId) =>
        ReceiveAny(message => region.Forward(new ShardingEnvelope(bookId, message)));
}
