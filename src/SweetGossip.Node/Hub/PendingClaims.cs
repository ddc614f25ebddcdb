using SweetGossip.Node.Routing;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Hub;

/// <summary>
/// Topics this member accepted and asked the hub to let it relay, waiting for the answer. Bounded like the topics in
/// flight they are part of (each is counted there already); each leaves with its answer or with its claim's timeout
/// (the guardian schedules one per claim), and a claim timed out is dropped, never relayed: relaying twice is the
/// failure a hub exists to avoid, a lost topic is not.
/// </summary>
internal sealed class PendingClaims(int capacity)
{
    // Made at the first claim: only a hub member claims (empty, 80 bytes of every simulated peer).
    private Dictionary<PayloadId, AcceptTopic>? _waiting;

    public int Count => _waiting?.Count ?? 0;

    /// <summary>False past the capacity, or when a claim for the payload waits already.</summary>
    public bool TryAdd(PayloadId payloadId, AcceptTopic accept) => Count < capacity && (_waiting ??= []).TryAdd(payloadId, accept);

    public bool TryGetValue(PayloadId payloadId, out AcceptTopic accept)
    {
        accept = null!;
        return _waiting is not null && _waiting.TryGetValue(payloadId, out accept!);
    }

    public bool TryTake(PayloadId payloadId, out AcceptTopic accept)
    {
        accept = null!;
        return _waiting is not null && _waiting.Remove(payloadId, out accept!);
    }
}
