using Akka.Actor;
using SweetGossip.Cluster.Hosting;

namespace SweetGossip.Node.Hub;

/// <summary>
/// What a node guardian needs when its node is one member of a relay hub (issue 12): the topic-claims region that
/// decides, hub-wide, which member relays a payload, the peer-link registry, and this member's address. A plain node
/// has none.
/// </summary>
public sealed record HubRole(IActorRef TopicClaims, IActorRef PeerLinks, Address Member, TimeSpan ClaimTimeout)
{
    public static HubRole Of(HubMember member) => new(member.TopicClaims, member.PeerLinks, member.Address, member.Settings.ClaimTimeout);
}
