namespace SweetGossip.Node.Topics;

/// <summary>
/// What a topic may spend on favours: a relay at most <c>multiple</c> × what its source proved (expected hashes) or
/// paid (msat) for it, so relaying is never a pump (an upstream proof of 2^12 cannot make this node solve
/// fanout × 2^24). A topic this node originates is its own business: unlimited here, bounded by the difficulty and
/// price caps. Each unit is spent only in its own kind: a topic paid for in sats buys no hashes, and the reverse.
/// </summary>
public sealed class SpendAllowance
{
    private double _hashesLeft;
    private double _msatLeft;

    private SpendAllowance(double hashes, double msat) => (_hashesLeft, _msatLeft) = (hashes, msat);

    public static SpendAllowance Unlimited() => new(double.PositiveInfinity, double.PositiveInfinity);

    /// <param name="earned">What the source's broadcast proved or paid for this topic.</param>
    public static SpendAllowance For(TopicEarnings earned, double multiple) =>
        new(earned.ExpectedHashes * multiple, earned.Msat * multiple);

    public double HashesLeft => _hashesLeft;

    public double MsatLeft => _msatLeft;

    public bool TrySpendHashes(double expectedHashes)
    {
        if (expectedHashes > _hashesLeft) return false;
        _hashesLeft -= expectedHashes;
        return true;
    }

    public bool TrySpendMsat(ulong msat)
    {
        if (msat > _msatLeft) return false;
        _msatLeft -= msat;
        return true;
    }

    /// <summary>A reserved spend that did not happen (the proof was abandoned, the payment failed).</summary>
    public void RefundHashes(double expectedHashes) => _hashesLeft += expectedHashes;

    public void RefundMsat(ulong msat) => _msatLeft += msat;
}

/// <summary>What a source's broadcast earned this node for a topic: the proof's expected hashes, or the msat paid.</summary>
public readonly record struct TopicEarnings(double ExpectedHashes, ulong Msat)
{
    public static TopicEarnings Nothing => new(0, 0);
}
