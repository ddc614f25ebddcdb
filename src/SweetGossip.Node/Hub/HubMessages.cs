using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Hub;

/// <summary>Guardian to itself: the hub did not answer this payload's claim in time.</summary>
internal sealed record ClaimOverdue(PayloadId PayloadId, int Attempt);
