namespace SweetGossip.Node.Transport.Tcp;

/// <summary>
/// Sealed records waiting while a TCP write is in flight. Bounded in records and in bytes: a peer that does
/// not read cannot make us buffer without limit (many small records, or a few large ones); <see cref="TryAdd"/>
/// says when a bound is hit and the link must go.
/// </summary>
internal sealed class Outbox(int maxRecords, int maxBytes)
{
    private readonly Queue<byte[]> _records = new();

    public int Count => _records.Count;

    /// <summary>Bytes of all queued records.</summary>
    public long Bytes { get; private set; }

    public bool TryAdd(byte[] record)
    {
        if (_records.Count >= maxRecords || Bytes + record.Length > maxBytes) return false;
        _records.Enqueue(record);
        Bytes += record.Length;
        return true;
    }

    /// <summary>
    /// Queued records, oldest first, as one buffer for one write (fewer syscalls, one ack): as many as fit in
    /// <paramref name="maxBatchBytes"/>, and always at least one.
    /// </summary>
    public byte[] TakeBatch(int maxBatchBytes)
    {
        var count = 0;
        long size = 0;
        foreach (var record in _records)
        {
            if (count > 0 && size + record.Length > maxBatchBytes) break;
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
        Bytes -= size;
        return batch;
    }
}
