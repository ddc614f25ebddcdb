namespace SweetGossip.Node.Transport.Tcp;

/// <summary>
/// Sealed records waiting while a TCP write is in flight. Bounded: a peer that does not read cannot make
/// us buffer without limit; <see cref="TryAdd"/> says when the limit is hit and the link must go.
/// </summary>
internal sealed class Outbox(int limit)
{
    private readonly Queue<byte[]> _records = new();

    public int Count => _records.Count;

    public bool TryAdd(byte[] record)
    {
        if (_records.Count >= limit) return false;
        _records.Enqueue(record);
        return true;
    }

    /// <summary>
    /// Queued records, oldest first, as one buffer for one write (fewer syscalls, one ack): as many as fit in
    /// <paramref name="maxBytes"/>, and always at least one.
    /// </summary>
    public byte[] TakeBatch(int maxBytes)
    {
        var count = 0;
        long size = 0;
        foreach (var record in _records)
        {
            if (count > 0 && size + record.Length > maxBytes) break;
            size += record.Length;
            count++;
        }
        var batch = new byte[size];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var record = _records.Dequeue();
            record.CopyTo(batch, offset);
            offset += record.Length;
        }
        return batch;
    }
}
