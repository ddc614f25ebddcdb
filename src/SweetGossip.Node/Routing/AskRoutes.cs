using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Routing;

/// <summary>
/// Which topic each ask this node sent belongs to, so the conditions answering it reach that topic. Bounded:
/// an ask that is never answered (normal gossip: a peer that has the topic says nothing) is forgotten after a
/// favour's validity, in time order (no rescans), and the oldest go first past the capacity.
/// </summary>
internal sealed class AskRoutes(int capacity, TimeSpan lifetime)
{
    private readonly Dictionary<AskId, PayloadId> _routes = [];
    private readonly Queue<(AskId Ask, DateTimeOffset Until)> _byAge = new();

    public int Count => _routes.Count;

    public void Add(AskId ask, PayloadId payload, DateTimeOffset now)
    {
        Expire(now);
        while (_routes.Count >= capacity && _byAge.TryDequeue(out var oldest)) _routes.Remove(oldest.Ask);
        if (_routes.TryAdd(ask, payload)) _byAge.Enqueue((ask, now + lifetime));
        // Answered asks wait in the queue behind older unanswered ones: drop them now and then, so it stays bounded too.
        if (_byAge.Count > 2 * capacity + 16)
        {
            var live = _byAge.Where(e => _routes.ContainsKey(e.Ask)).ToList();
            _byAge.Clear();
            foreach (var entry in live) _byAge.Enqueue(entry);
        }
    }

    /// <summary>Entries in the age queue, answered ones included (bounded by about twice the capacity).</summary>
    internal int QueuedCount => _byAge.Count;

    /// <summary>An ask whose topic ended: forgotten (its queue entry is skipped when it comes up).</summary>
    public void Forget(AskId ask) => _routes.Remove(ask);

    /// <summary>The topic of an ask, forgotten now: one answer per ask.</summary>
    public bool TryTake(AskId ask, DateTimeOffset now, out PayloadId payload)
    {
        Expire(now);
        return _routes.Remove(ask, out payload);
    }

    // Asks are added in time order, so the queue is ordered by expiry; a taken ask leaves a stale queue entry, skipped here.
    private void Expire(DateTimeOffset now)
    {
        while (_byAge.TryPeek(out var head) && (head.Until < now || !_routes.ContainsKey(head.Ask)))
        {
            _byAge.Dequeue();
            _routes.Remove(head.Ask);
        }
    }
}
