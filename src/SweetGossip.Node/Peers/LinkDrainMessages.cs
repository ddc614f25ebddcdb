using Akka.Actor;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;

namespace SweetGossip.Node.Peers;

// The drain handshake of a closed link (docs/reliability.md, "A frame sent towards a link that just closed"): a topic
// holding a peer's connection may send to it after the link closed and before the node's PeerLinkClosed reaches the
// topic. The closed connection stays, hands every such frame back to its node, and stops once each topic told has
// answered: what a topic sends to a connection arrives before what it sends after, so after its answer nothing more comes.

/// <summary>
/// Node → connection: these topics were told this link closed or was replaced; each answers <see cref="LinkReleased"/>
/// (or stops). Sent before the topics are told.
/// </summary>
public sealed record AwaitReleases(IReadOnlyList<IActorRef> Holders);

/// <summary>Topic → connection: the topic sends nothing more to this link (frames it sent before came first).</summary>
public sealed record LinkReleased
{
    public static readonly LinkReleased Instance = new();
}

/// <summary>
/// Node → connection, answering its <see cref="PeerDisconnected"/>: every <see cref="AwaitReleases"/> for this link was
/// sent already. Once those holders released it, the closed connection stops.
/// </summary>
public sealed record DrainLink
{
    public static readonly DrainLink Instance = new();
}

/// <summary>
/// Connection → node: a frame for <paramref name="Peer"/> that reached this connection after its link closed, never
/// sent. The node sends it on the peer's current link, or holds it (bounded) until the peer's next link comes up.
/// </summary>
public sealed record FrameReturned(PublicKey Peer, Frame Frame);
