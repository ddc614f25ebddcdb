namespace SweetGossip.Node.Routing;

/// <summary>
/// Entries that expire in the order they were added (one lifetime for all, so the age queue is an expiry queue: no
/// rescans), at most <paramref name="capacity"/> of them, the oldest going first past it. An entry taken out before
/// its time leaves its key in the queue, skipped when it comes up; the queue is compacted when such keys pile up
/// behind an old live one, so it stays bounded too. <see cref="Removed"/> hears of every entry that leaves.
/// </summary>
/// <remarks>
/// A node has four of these and most stay empty, or empty again, most of the time: the table and the queue are made on
/// first use and let go when both are empty (an emptied pair kept its arrays; ≈ 0.4 KB per simulated peer). Neither is
/// enumerated in an order a fresh one would change: the queue is FIFO, the table is only looked up.
/// </remarks>
internal sealed class ExpiringEntries<TKey, TValue>(int capacity) where TKey : notnull
{
    private Dictionary<TKey, TValue>? _entries;
    // Deadlines as UTC ticks (compared as the times are): 8 bytes less per entry, AskRoutes holds a few dozen per node.
    private Queue<(TKey Key, long UntilUtcTicks)>? _byAge;

    public Action<TValue>? Removed { get; init; }

    public int Count => _entries?.Count ?? 0;

    /// <summary>Keys in the age queue, taken ones included (at most about twice the capacity).</summary>
    public int QueuedCount => _byAge?.Count ?? 0;

    public bool TryAdd(TKey key, TValue value, DateTimeOffset until, DateTimeOffset now)
    {
        Expire(now);
        while (_entries?.Count >= capacity && _byAge!.TryDequeue(out var oldest)) Remove(oldest.Key);
        _entries ??= [];
        _byAge ??= new();
        if (!_entries.TryAdd(key, value)) return false;
        _byAge.Enqueue((key, until.UtcTicks));
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
        if (_entries is null || !_entries.Remove(key, out value!))
        {
            value = default!;
            return false;
        }
        Removed?.Invoke(value);
        LetGoIfEmpty();
        return true;
    }

    public bool TryGetValue(TKey key, out TValue value)
    {
        if (_entries is not null) return _entries.TryGetValue(key, out value!);
        value = default!;
        return false;
    }

    public void Remove(TKey key)
    {
        if (_entries is not null && _entries.Remove(key, out var value)) Removed?.Invoke(value);
    }

    public void Expire(DateTimeOffset now)
    {
        if (_byAge is null) return;
        while (_byAge.TryPeek(out var head) && (head.UntilUtcTicks < now.UtcTicks || !_entries!.ContainsKey(head.Key)))
        {
            _byAge.Dequeue();
            Remove(head.Key);
        }
        LetGoIfEmpty();
    }

    // Only when both are empty: a taken entry's key may still wait in the queue, to be skipped when it comes up.
    private void LetGoIfEmpty()
    {
        if (_entries is { Count: 0 } && _byAge is { Count: 0 }) (_entries, _byAge) = (null, null);
    }
}
