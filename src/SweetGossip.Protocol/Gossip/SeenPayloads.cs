using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Gossip;

/// <summary>
/// Which payloads this node has already accepted, until they expire: the dedup that stops a chatterbox
/// from making the node work twice for one topic. Each entry lives until its request's expires_at, so
/// memory is bounded by the topics live at once.
/// One writer (the node's guardian adds and expires), many readers: peer connections ask
/// <see cref="Contains"/> from their own threads to drop a seen payload before decoding it.
/// </summary>
public sealed class SeenPayloads
{
    // Started small (it grows as needed; never enumerated): the default 31 buckets were ≈ 190 bytes more of every simulated peer.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<PayloadId, DateTimeOffset> _seen = new(Environment.ProcessorCount, 7);
    private readonly PriorityQueue<PayloadId, DateTimeOffset> _byExpiry = new();

    public int Count => _seen.Count;

    /// <summary>True the first time a payload is offered; false for every repeat while it is live.</summary>
    public bool TryAdd(PayloadId id, DateTimeOffset expiresAt)
    {
        if (!_seen.TryAdd(id, expiresAt)) return false;
        _byExpiry.Enqueue(id, expiresAt);
        return true;
    }

    public bool Contains(PayloadId id) => _seen.ContainsKey(id);

    /// <summary>When a seen payload expires (it is forgotten then).</summary>
    public bool TryGetExpiry(PayloadId id, out DateTimeOffset expiresAt) => _seen.TryGetValue(id, out expiresAt);

    /// <summary>Forgets payloads that expired before <paramref name="now"/>; returns them (for journal compaction).</summary>
    public IReadOnlyList<PayloadId> Expire(DateTimeOffset now)
    {
        List<PayloadId>? expired = null;
        while (_byExpiry.TryPeek(out var id, out var expiresAt) && expiresAt < now)
        {
            _byExpiry.Dequeue();
            _seen.TryRemove(id, out _);
            (expired ??= []).Add(id);
        }
        return (IReadOnlyList<PayloadId>?)expired ?? [];
    }
}
