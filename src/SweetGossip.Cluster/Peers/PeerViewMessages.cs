using Akka.Actor;
using SweetGossip.Cluster.Serialization;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Peers;

/// <summary>
/// Between members (DistributedPubSub topic <see cref="PeerLinkView.Topic"/>): a sample of the peers
/// <paramref name="Member"/> holds links to, replacing the last one it published. Bounded by
/// <see cref="MaxPeers"/> whatever a member's <c>peer-links.view-size</c> says.
/// </summary>
public sealed record MemberPeerLinks(Address Member, IReadOnlyList<PublicKey> Peers) : IHubMessage
{
    public const int MaxPeers = 1024; // 1024 keys × 34 bytes: well within HubMessageSerializer.MaxMessageBytes
}

/// <summary>To this member's registry: send <see cref="HubPeers"/> to <paramref name="Subscriber"/> (a local actor) on every change.</summary>
public sealed record SubscribeHubPeers(IActorRef Subscriber);

/// <summary>The peers other members of the hub hold links to (a bounded sample each), none of this member's own.</summary>
public sealed record HubPeers(IReadOnlyList<PublicKey> Peers)
{
    public static readonly HubPeers None = new([]);
}

/// <summary>
/// From the member holding a peer's link to the member whose topic the frame belongs to: a frame that peer sent
/// (conditions, a reply, a ThankYou…), already screened and rate-limited by the link's member, with the Lightning node
/// the peer announced on that link (33 bytes; null if it announced none).
/// </summary>
/// <remarks>
/// Sent to the owner when the link's member knows it (it carried the owner's ask or broadcast); otherwise published on
/// the DistributedPubSub topic <see cref="UnplacedTopic"/> to every member, and the one whose ask or topic it answers
/// takes it (the peer redialled another member after being asked).
/// </remarks>
public sealed record FrameViaMember(PublicKey Peer, Frame Frame, Bytes? PeerLightningNode) : IHubMessage
{
    public const int LightningNodeLength = 33;

    /// <summary>The DistributedPubSub topic of answers whose owner the link's member does not know; every member's node subscribes.</summary>
    public const string UnplacedTopic = "sweetgossip-unplaced-answers";
}

/// <summary>Registry to its view: a link is registered here now.</summary>
internal sealed record LocalLinkUp(PublicKey Peer);

/// <summary>Registry to its view: this member no longer holds a link to the peer.</summary>
internal sealed record LocalLinkDown(PublicKey Peer);
