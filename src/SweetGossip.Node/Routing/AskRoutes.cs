using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Routing;

/// <summary>
/// Which topic each ask this node sent belongs to, so the conditions answering it reach that topic. Bounded:
/// an ask that is never answered (normal gossip: a peer that has the topic says nothing) is forgotten after a
/// favour's validity, in time order (no rescans), and the oldest go first past the capacity.
/// </summary>
internal sealed class AskRoutes(int capacity, TimeSpan lifetime)
{
    private readonly ExpiringEntries<AskId, PayloadId> _routes = new(capacity);

    public int Count => _routes.Count;

    /// <summary>Entries in the age queue, answered ones included (bounded by about twice the capacity).</summary>
    internal int QueuedCount => _routes.QueuedCount;

    public void Add(AskId ask, PayloadId payload, DateTimeOffset now) => _routes.TryAdd(ask, payload, now + lifetime, now);

    /// <summary>An ask whose topic ended: forgotten.</summary>
    public void Forget(AskId ask) => _routes.Remove(ask);

    /// <summary>The topic of an ask, forgotten now: one answer per ask.</summary>
    public bool TryTake(AskId ask, DateTimeOffset now, out PayloadId payload) => _routes.TryTake(ask, now, out payload);
}
