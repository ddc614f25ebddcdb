using SweetGossip.Node.Core;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Output;

namespace SweetGossip.Simulation.Sweep;

/// <summary>sweep.csv: one row per sweep run, in the grid's order. Announce rows leave fanout empty (it does not apply).</summary>
public static class SweepCsv
{
    public const string FileName = "sweep.csv";

    public static void Write(IEnumerable<SweepOutcome> outcomes, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var header = new List<object?> { "fanout", "difficulty_bits", "adversary_fraction", "attack", "replicate", "seed", "topics", "mean_coverage", "mean_reach" };
        foreach (var level in CoverageLevels.All)
        {
            var label = CoverageLevels.Label(level);
            header.AddRange([label + "_topics", label + "_mean_s", label + "_mean_hops"]);
        }
        header.AddRange(["mean_copies", "frames_per_peer", "bytes_per_peer", "pow_hashes", "replies", "topics_with_reply",
            "mean_first_reply_s", "honest_mean_net_msat", "dishonest_mean_net_msat", "dissemination", "bytes_per_peer_per_topic"]);
        var csv = new CsvWriter(writer);
        csv.Row([.. header]);

        foreach (var o in outcomes)
        {
            var s = o.Summary;
            var row = new List<object?> { o.Dissemination == Dissemination.Announce ? null : o.Fanout, o.DifficultyBits, o.AdversaryFraction, o.Attack, o.Replicate, o.Seed, s.Topics, s.MeanCoverage, s.MeanReach };
            foreach (var m in s.Milestones) row.AddRange([m.TopicsReaching, m.MeanSeconds, m.MeanHops]);
            row.AddRange([s.MeanCopiesPerReceivingPeer, s.FramesPerPeer, s.BytesPerPeer, s.PowHashes, s.RepliesDelivered, s.TopicsWithReply,
                s.MeanSecondsToFirstReply, s.EarningsByHonesty.Single(g => g.Honest).MeanNetMsat, s.EarningsByHonesty.Single(g => !g.Honest).MeanNetMsat,
                o.Dissemination.ToString(), SweepMetrics.Value(s, SweepMetric.BytesPerPeerPerTopic)]);
            csv.Row([.. row]);
        }
    }

    public static void Write(IEnumerable<SweepOutcome> outcomes, string path) => CsvWriter.ToFile(path, w => Write(outcomes, w));
}
