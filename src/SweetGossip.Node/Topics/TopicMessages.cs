using Akka.Actor;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Topics;

/// <summary>From a topic's reply actor: this node's payment for the reply settled (its sender owes a ThankYou).</summary>
public sealed record ReplyPaidDownstream(Hash32 PaymentHash);

/// <summary>From a relay's reply actor: the reply's relay ended, paid by upstream or not.</summary>
public sealed record ReplyRelayEnded(Hash32 PaymentHash, bool UpstreamPaid);

/// <summary>
/// To the node: a topic's actor stopped; what the router kept for its asks can go, and the notes that it holds peers'
/// links (all of them: peers chosen for it while it stopped were handed too).
/// </summary>
public sealed record TopicEnded(PayloadId PayloadId, IReadOnlyList<AskId> Asks);

/// <summary>
/// From the node to a topic: <paramref name="Link"/>, the peer's link the topic was handed, closed or was replaced by a
/// newer one (the peer redialled). The topic sends to the peer through the node from now on, which knows the current link.
/// </summary>
public sealed record PeerLinkClosed(PublicKey Peer, IActorRef Link);
