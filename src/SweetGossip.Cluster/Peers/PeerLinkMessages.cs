using Akka.Actor;
using SweetGossip.Cluster.Serialization;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Cluster.Peers;

/// <summary>To this member's registry: this member holds a link to <paramref name="Peer"/>; frames for it go to <paramref name="Link"/>.</summary>
/// <remarks>Registering again (the link moved or reconnected) replaces the earlier link. A link that stops is unregistered.</remarks>
public sealed record RegisterPeerLink(PublicKey Peer, IActorRef Link);

/// <summary>To this member's registry: the link closed. Ignored unless <paramref name="Link"/> is the one registered.</summary>
public sealed record UnregisterPeerLink(PublicKey Peer, IActorRef Link);

/// <summary>
/// To this member's registry, from any actor of the hub: deliver <paramref name="Frame"/> to the member holding a link
/// to <paramref name="Peer"/>. Its link receives a <see cref="PeerDelivery"/>; when no member holds one, the sender gets
/// <see cref="PeerUnreachable"/>.
/// </summary>
public sealed record SendToPeer(PublicKey Peer, Frame Frame);

/// <summary>What a registered link receives (from its own member or another): send this frame to the peer.</summary>
/// <param name="HeldUntil">Set on a held frame offered again: the deadline its first hold gave it, kept by any member that holds it next.</param>
public sealed record PeerDelivery(PublicKey Peer, Frame Frame, DateTimeOffset? HeldUntil = null) : IHubMessage;

/// <summary>The answer to a <see cref="SendToPeer"/> that no link took; the frame was not sent.</summary>
public sealed record PeerUnreachable(PublicKey Peer, Frame Frame, string Reason) : IHubMessage
{
    public const int MaxReasonLength = 256;
}

/// <summary>
/// To this member's registry, from the member whose topic judged <paramref name="Peer"/>: the member holding the peer's
/// link scores it in its own book (which is what disconnects and bans that link). Reaches the link like a
/// <see cref="PeerDelivery"/>; when no member holds one it is dropped (the judging member's own book still counts it).
/// </summary>
public sealed record PeerJudgedByMember(PublicKey Peer, PeerBehaviour Behaviour, string Detail) : IHubMessage
{
    public const int MaxDetailLength = 256;

    public string Detail { get; } = Detail.Length <= MaxDetailLength ? Detail : Detail[..MaxDetailLength];
}

/// <summary>Registry to a peer's entry: frames go to this link now (or to none: the link closed).</summary>
internal sealed record RetargetLink(IActorRef? Link);

/// <summary>A peer's entry to the registry: no link came back within the linger time; stop me.</summary>
internal sealed record PeerEntryIdle(PublicKey Peer);

/// <summary>A lingering entry to its registry: a frame for a peer whose link here closed just now; hold it for the new link.</summary>
internal sealed record HoldForLink(PeerDelivery Delivery, string Reason);
