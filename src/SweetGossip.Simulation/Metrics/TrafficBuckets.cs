namespace SweetGossip.Simulation.Metrics;

/// <summary>Per-bucket counters over simulation time, grown on demand. Sums only, so order does not matter.</summary>
internal sealed class TrafficBuckets(double bucketSeconds)
{
    public const int Frames = 0, Bytes = 1, FirstReceipts = 2, Duplicates = 3, Topics = 4, Replies = 5, PowHashes = 6;
    private const int Columns = 7;

    private long[] _counts = new long[64 * Columns];
    private int _buckets;

    public double BucketSeconds { get; } = bucketSeconds;

    public int Count => _buckets;

    public void Add(double time, int column, long amount)
    {
        var bucket = (int)Math.Min(Math.Floor(time / BucketSeconds), int.MaxValue / Columns - 1);
        if ((bucket + 1) * Columns > _counts.Length)
            Array.Resize(ref _counts, Math.Max(_counts.Length * 2, (bucket + 1) * Columns));
        _counts[bucket * Columns + column] += amount;
        _buckets = Math.Max(_buckets, bucket + 1);
    }

    public long Get(int bucket, int column) => _counts[bucket * Columns + column];
}
