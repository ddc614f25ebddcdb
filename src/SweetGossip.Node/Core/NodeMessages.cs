using Akka.Actor;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;

namespace SweetGossip.Node.Core;

// ---- what an app asks of its node

/// <summary>Originate a topic (the node signs it with its certificate key) and gossip it.</summary>
public sealed record OriginateTopic(Topic Topic, TimeSpan Lifetime);

public sealed record TopicOriginated(PayloadId PayloadId, SignedRequestPayload Request);

/// <summary>
/// Receive <see cref="ReplyDelivered"/> for every topic this node originated; with
/// <paramref name="IncludeArrivals"/>, also <see cref="ReplyArrived"/> as each offer comes in, before paying.
/// </summary>
public sealed record SubscribeReplies(IActorRef Subscriber, bool IncludeArrivals = false);

/// <summary>
/// An offer (Reply frame) for a topic this node originated reached it through <paramref name="Via"/>,
/// still sealed and unpaid. Lets an operator see the reply path work even when paying fails.
/// </summary>
public sealed record ReplyArrived(PayloadId PayloadId, PublicKey Via, string Invoice);

/// <summary>
/// A paid, opened and (if <see cref="AckConfirmed"/>) directly validated job offer. <see cref="Recovered"/>: delivered
/// before a restart and read back from the settlement journal (not validated again).
/// </summary>
public sealed record ReplyDelivered(
    PayloadId PayloadId, string Message, string ContactAddress, SignedCertificate Replier, ulong PaidMsat, bool AckConfirmed, bool Recovered = false);

public sealed record GetNodeStatus
{
    public static readonly GetNodeStatus Instance = new();
}

public sealed record NodeStatus(PublicKey Identity, int Peers, int TopicsInFlight, int PayloadsSeen, int FavoursOpen)
{
    /// <summary>The size of each of the node's maps, by name (all bounded; attackers choose what goes in them).</summary>
    public IReadOnlyDictionary<string, int> Maps { get; init; } = new Dictionary<string, int>();
}

// ---- between the node's own actors

/// <summary>To the node: send a frame to a connected peer.</summary>
public sealed record SendToPeer(PublicKey Peer, Frame Frame);

/// <summary>To the node: send a frame to a contact address, connecting directly if needed (Validate/Ack).</summary>
/// <param name="Peer">Who should be at that address (the replier's certified key), if known: when this node is linked
/// to that key already, the frame goes over that link and no second link is dialled (a second dial under load could time
/// out and lose the frame).</param>
public sealed record SendDirect(string Address, Frame Frame, PublicKey? Peer = null);

/// <summary>To the node: a topic or reply judged something a peer sent (e.g. an invoice that is not what its frame said).</summary>
public sealed record ReportPeer(PublicKey Peer, SweetGossip.Protocol.Gossip.PeerBehaviour Behaviour, string Detail);

/// <summary>To the node: a peer's favour went unpaid, or was paid (drives the per-peer difficulty).</summary>
public sealed record FavourOutcome(PublicKey Peer, bool Thanked);

/// <summary>To the node: a topic was handed to <paramref name="Peer"/> (a broadcast redeeming its favour); counts towards its delivery deficit.</summary>
public sealed record TopicHanded(PublicKey Peer);

/// <summary>
/// To the node: peers to ask a favour of for a topic, excluding its source and the peers it asked already. The node registers one ask per peer
/// (the conditions answering it come back to the topic) and hands over each peer's connection, so the topic
/// sends its asks and broadcasts straight to the links, not through the guardian.
/// </summary>
public sealed record ChoosePeers(IReadOnlyCollection<PublicKey> Exclude, int Count, PayloadId PayloadId);

public sealed record PeersChosen(IReadOnlyList<ChosenPeer> Peers)
{
    public static readonly PeersChosen None = new([]);
}

/// <summary>
/// A peer chosen for a topic, its link's connection, and the id of the ask to send it. On a hub member, a peer another
/// member links to has the node's guardian as its connection: frames for it go to the guardian as <see cref="SendToPeer"/>.
/// </summary>
public sealed record ChosenPeer(PublicKey Peer, IActorRef Connection, AskId AskId);

// ---- between node and transport

/// <summary>To the transport, first thing from the node: connections report to this node.</summary>
public sealed record AttachNode(IActorRef Node)
{
    /// <summary>
    /// The node answers the drain handshake of a closed link (<see cref="Peers.DrainLink"/>): its connections hand back
    /// frames that reach them after their link closed, for at most this long. Null (tests with a probe for the node): a
    /// connection stops as its link closes.
    /// </summary>
    public TimeSpan? LinkDrainTimeout { get; init; }
}

/// <summary>
/// To the transport: open a link to an address. With <paramref name="Reconnect"/> (static peers) the
/// transport keeps the link up, redialling with backoff whenever it drops; transports without
/// reconnection (in-memory) ignore it.
/// </summary>
public sealed record Connect(string Address, bool Reconnect = false);

/// <summary>From the transport: the link to <paramref name="Address"/> is up and authenticated as <paramref name="Peer"/>.</summary>
public sealed record Connected(string Address, PublicKey Peer);

public sealed record ConnectFailed(string Address, string Reason);
