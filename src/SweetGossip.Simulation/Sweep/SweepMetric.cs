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
        _ => metric.ToString(),
    };
}
