namespace SweetGossip.Simulation.Metrics;

/// <summary>What was recorded about one topic (raw, unsorted; the aggregator sorts).</summary>
internal sealed class TopicLog
{
    public int Origin = -1;
    public double OriginTime = double.NaN;
    public int[]? Interested; // sorted, distinct, origin removed; null = every other peer
    public readonly List<Receipt> Receipts = [];
    public readonly List<int> DuplicateNodes = [];
    public int Replies;
    public double FirstReplyTime = double.PositiveInfinity;

    public bool Originated => Origin >= 0;

    /// <summary>A first receipt: 16 bytes, kept for every (topic, receiving peer).</summary>
    public readonly record struct Receipt(int Node, int Hops, double Time);
}
