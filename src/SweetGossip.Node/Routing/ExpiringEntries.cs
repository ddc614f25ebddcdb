namespace SweetGossip.Node.Routing;

/// <summary>
/// Entries that expire in the order they were added (one lifetime for all, so the age queue is an expiry queue: no
/// rescans), at most <paramref name="capacity"/> of them, the oldest going first past it. An entry taken out before
/// its time leaves its key in the queue, skipped when it comes up; the queue is compacted when such keys pile up
/// behind an old live one, so it stays bounded too. <see cref="Removed"/> hears of every entry that leaves.
/// </summary>
internal sealed class ExpiringEntries<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _entries = [];
    private readonly Queue<(TKey Key, DateTimeOffset Until)> _byAge = new();

    public Action<TValue>? Removed { get; init; }

    public int Count => _entries.Count;

    /// <summary>Keys in the age queue, taken ones included (at most about twice the capacity).</summary>
    public int QueuedCount => _byAge.Count;

    public bool TryAdd(TKey key, TValue value, DateTimeOffset until, DateTimeOffset now)
    {
        Expire(now);
        while (_entries.Count >= capacity && _byAge.TryDequeue(out var oldest)) Remove(oldest.Key);
        if (!_entries.TryAdd(key, value)) return false;
        _byAge.Enqueue((key, until));
        if (_byAge.Count > 2 * capacity + 16)
        {
            var live = _byAge.Where(e => _entries.ContainsKey(e.Key)).ToList();
            _byAge.Clear();
            foreach (var entry in live) _byAge.Enqueue(entry);
        }
        return true;
    }

    public bool TryTake(TKey key, DateTimeOffset now, out TValue value)
    {
        Expire(now);
        if (!_entries.Remove(key, out value!)) return false;
        Removed?.Invoke(value);
        return true;
    }

    public bool TryGetValue(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    public void Remove(TKey key)
    {
        if (_entries.Remove(key, out var value)) Removed?.Invoke(value);
    }

    public void Expire(DateTimeOffset now)
    {
        while (_byAge.TryPeek(out var head) && (head.Until < now || !_entries.ContainsKey(head.Key)))
        {
            _byAge.Dequeue();
            Remove(head.Key);
        }
    }
}
