using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Topics;

/// <summary>From a topic's reply actor: this node's payment for the reply settled (its sender owes a ThankYou).</summary>
public sealed record ReplyPaidDownstream(Hash32 PaymentHash);

/// <summary>From a relay's reply actor: the reply's relay ended, paid by upstream or not.</summary>
public sealed record ReplyRelayEnded(Hash32 PaymentHash, bool UpstreamPaid);

/// <summary>To the node: a topic's actor stopped; what the router kept for its asks can go.</summary>
public sealed record TopicEnded(PayloadId PayloadId, IReadOnlyList<AskId> Asks);
