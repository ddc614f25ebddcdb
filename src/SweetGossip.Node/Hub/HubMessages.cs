using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Hub;

/// <summary>Guardian to itself: the hub did not answer this payload's claim in time.</summary>
internal sealed record ClaimOverdue(PayloadId PayloadId, int Attempt);

/// <summary>
/// A peer's connection to its node: it sent <paramref name="Frame"/> (an ask, an announcement, a broadcast) on behalf
/// of another member of the hub, whose node is the sender. What the peer answers for that topic goes back to that member.
/// </summary>
internal sealed record DeliveredForMember(Protocol.Crypto.PublicKey Peer, Protocol.Frames.Frame Frame);
