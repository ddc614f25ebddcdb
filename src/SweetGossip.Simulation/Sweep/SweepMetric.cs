using SweetGossip.Simulation.Output;

namespace SweetGossip.Simulation.Sweep;

/// <summary>What a sweep plot shows on its y axis.</summary>
public enum SweepMetric
{
    /// <summary>Fraction of topics whose interested peers reached 90 % coverage.</summary>
    TopicsReaching90,

    /// <summary>Mean seconds to 90 % coverage, over the topics that reached it.</summary>
    SecondsTo90,

    /// <summary>Mean final coverage of interested peers.</summary>
    MeanCoverage,

    /// <summary>Fraction of topics that got at least one reply.</summary>
    TopicsWithReply,

    /// <summary>Frames sent per peer.</summary>
    FramesPerPeer,

    /// <summary>Mean net sats per honest peer.</summary>
    HonestNetSatsPerPeer,

    /// <summary>Payload copies per (topic, receiving peer), duplicates included.</summary>
    CopiesPerPeer,

    /// <summary>Mean over topics of the hops to 50 % coverage (the largest hop count among the first receipts up to it).</summary>
    HopsTo50,

    /// <summary>Mean over topics of the hops to 99 % coverage, over the topics that reached it.</summary>
    HopsTo99,

    /// <summary>Bytes sent per peer, divided by the topics of the run.</summary>
    BytesPerPeerPerTopic,
}

/// <summary>Reads a <see cref="SweepMetric"/> off a summary, with its axis label.</summary>
public static class SweepMetrics
{
    public static double? Value(SimulationSummary s, SweepMetric metric) => metric switch
    {
        SweepMetric.TopicsReaching90 => s.TopicsWithInterestedPeers == 0 ? null : s.Milestone(0.9).TopicsReaching,
        SweepMetric.SecondsTo90 => s.Milestone(0.9).MeanSeconds,
        SweepMetric.MeanCoverage => s.MeanCoverage,
        SweepMetric.TopicsWithReply => s.TopicsWithReply,
        SweepMetric.FramesPerPeer => s.FramesPerPeer,
        SweepMetric.HonestNetSatsPerPeer => s.EarningsByHonesty.Single(g => g.Honest).MeanNetMsat / 1000,
        SweepMetric.CopiesPerPeer => s.MeanCopiesPerReceivingPeer,
        SweepMetric.HopsTo50 => s.Milestone(0.5).MeanHops,
        SweepMetric.HopsTo99 => s.Milestone(0.99).MeanHops,
        SweepMetric.BytesPerPeerPerTopic => s.Topics == 0 ? null : s.BytesPerPeer / s.Topics,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    /// <summary>True for metrics in [0, 1] (plotted on a fixed 0–1 axis so plots compare).</summary>
    public static bool IsFraction(SweepMetric metric) =>
        metric is SweepMetric.TopicsReaching90 or SweepMetric.MeanCoverage or SweepMetric.TopicsWithReply;

    public static string Label(SweepMetric metric) => metric switch
    {
        SweepMetric.TopicsReaching90 => "topics reaching 90 % coverage",
        SweepMetric.SecondsTo90 => "mean seconds to 90 % coverage",
        SweepMetric.MeanCoverage => "mean coverage of interested peers",
        SweepMetric.TopicsWithReply => "topics with a reply",
        SweepMetric.FramesPerPeer => "frames sent per peer",
        SweepMetric.HonestNetSatsPerPeer => "net sats per honest peer",
        SweepMetric.CopiesPerPeer => "payload copies per receiving peer",
        SweepMetric.HopsTo50 => "hops to 50 % coverage",
        SweepMetric.HopsTo99 => "hops to 99 % coverage",
        SweepMetric.BytesPerPeerPerTopic => "bytes per peer per topic",
        _ => metric.ToString(),
    };
}
