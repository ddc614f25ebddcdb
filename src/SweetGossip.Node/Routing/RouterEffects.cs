using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Routing;

/// <summary>What <see cref="NodeRouter"/> decided must happen; the node's guardian carries it out.</summary>
public abstract record RouterEffect;

/// <summary>Send a frame to a linked peer.</summary>
public sealed record SendTo(PublicKey Peer, Frame Frame) : RouterEffect;

/// <summary>Score a peer for what it did (its connection keeps the score).</summary>
public sealed record Judge(PublicKey Peer, PeerBehaviour Behaviour, string Detail) : RouterEffect;

/// <summary>A broadcast was redeemed and its payload is new here: remember it (journal) and start the topic's actor.</summary>
/// <param name="Earned">What the source's proof or payment was worth: the topic's spending is bounded by it.</param>
/// <param name="Onward">hops_remaining and path_fee_msat to pass it on with (<see cref="OriginCover"/>).</param>
public sealed record AcceptTopic(Broadcast Broadcast, PublicKey Source, TopicEarnings Earned, (int Hops, ulong PathFeeMsat) Onward) : RouterEffect;

/// <summary>A topic this node originates: remember its payload (journal) and start its actor.</summary>
/// <param name="Onward">hops_remaining and path_fee_msat to send it with (<see cref="OriginCover"/>).</param>
public sealed record StartOwnTopic(SignedRequestPayload Request, PrivateKey ReplyKey, (int Hops, ulong PathFeeMsat) Onward) : RouterEffect;

/// <summary>Hand a frame to the actor of the topic it belongs to, if it still runs.</summary>
public sealed record ToTopic(PayloadId PayloadId, FrameReceived Frame) : RouterEffect;

/// <summary>
/// A hub member: a peer's answer for an ask no topic of this member's made (another member's, asked before the peer
/// redialled here): every member is offered it, and only the one whose ask it answers takes it.
/// </summary>
public sealed record ToOtherMembers(FrameReceived Frame) : RouterEffect;

/// <summary>Hand a frame to the deliveries of paid replies for this payload (the replier's Ack).</summary>
public sealed record ToDeliveries(PayloadId PayloadId, FrameReceived Frame) : RouterEffect;

/// <summary>An offer for a topic this node originated reached it: tell who wants to know, before paying.</summary>
public sealed record AnnounceArrival(ReplyArrived Arrival) : RouterEffect;

/// <summary>
/// Ask settlement for a favour's hold invoice (hash only: the router keeps the preimage and decides on acceptance,
/// so a payment for a favour no longer open is refunded, never settled).
/// </summary>
public sealed record IssueFavourInvoice(IssueInvoice Command) : RouterEffect;

/// <summary>Tell the router when a favour's invoice changes state (acceptance is when it settles or refunds).</summary>
public sealed record WatchFavourInvoice(Hash32 PaymentHash) : RouterEffect;

/// <summary>
/// A favour's invoice was paid while the favour is open: settle it (the payer learns the preimage it redeems with).
/// <paramref name="PriceMsat"/>: what this node earns once it is settled (reported to the observer then).
/// </summary>
public sealed record SettleFavourInvoice(SettleInvoice Command, Hash32 PaymentHash, ulong PriceMsat) : RouterEffect;

/// <summary>A favour's invoice was paid for a favour no longer worth anything (gone, or its payload arrived): refund it.</summary>
public sealed record CancelFavourInvoice(CancelInvoice Command) : RouterEffect;

/// <summary>A line for the operator: something worth knowing that is nobody's fault in particular.</summary>
public sealed record Note(string Text) : RouterEffect;
