using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using SweetGossip.Cluster.Hosting;
using SweetGossip.Cluster.Pow;
using SweetGossip.Node.Pow;

namespace SweetGossip.Node.Hub;

/// <summary>
/// What a node guardian needs when its node is one member of a relay hub (issue 12): the topic-claims region that
/// decides, hub-wide, which member relays a payload, the peer-link registry, and this member's address. A plain node
/// has none.
/// </summary>
public sealed record HubRole(IActorRef TopicClaims, IActorRef PeerLinks, Address Member, TimeSpan ClaimTimeout)
{
    /// <summary>Claims sent for one topic before it is dropped unrelayed (the owner's retry is granted again).</summary>
    public int ClaimAttempts { get; init; } = 1;

    /// <summary>The node's PoW pool for its queue, in place of the local one; null: the node keeps its local pool.</summary>
    public Func<PowQueue, TimeProvider, Props>? PowPool { get; init; }

    /// <summary>
    /// The member's DistributedPubSub mediator: answers a peer sends for an ask or topic this member does not know (the
    /// peer redialled here after another member asked it) are published to every member; null: they are dropped.
    /// </summary>
    public IActorRef? Mediator { get; init; }

    /// <summary>Per peer, how many answers this member cannot place it publishes to every member; null: none are published.</summary>
    public Routing.UnplacedOfferBudget? UnplacedOffers { get; init; }

    /// <summary>A member's role: its node's proofs of work are solved by the hub's cluster router pool, on every member.</summary>
    public static HubRole Of(HubMember member) => new(member.TopicClaims, member.PeerLinks, member.Address, member.Settings.ClaimTimeout)
    {
        ClaimAttempts = member.Settings.ClaimAttempts,
        Mediator = DistributedPubSub.Get(member.System).Mediator,
        UnplacedOffers = new Routing.UnplacedOfferBudget(member.Settings.UnplacedOffersPerSecond, member.Settings.UnplacedOffersBurst),
        PowPool = (queue, clock) => HubPowFront.Props(HubPowPool.Props(member.Settings, PowWorker.DispatcherId), queue, clock, queue.Capacity, member.Settings.PowMaxSolveTime),
    };
}
