using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>
/// The headline numbers of a run (summary.json, the report, sweep rows). Means over an empty set are null.
/// </summary>
public sealed record SimulationSummary(
    int Peers,
    int HonestPeers,
    int Topics,
    int TopicsWithInterestedPeers,
    double? MeanCoverage,
    double? MeanReach,
    ValueList<MilestoneSummary> Milestones,
    double? MeanCopiesPerReceivingPeer,
    int MaxCopies,
    long Frames,
    long Bytes,
    double FramesPerPeer,
    double BytesPerPeer,
    long PowHashes,
    int RepliesDelivered,
    double? TopicsWithReply,
    double? MeanSecondsToFirstReply,
    ValueList<FrameKindTotal> FramesByKind,
    ValueList<RoleEarnings> EarningsByRole,
    ValueList<GroupEarnings> EarningsByHonesty)
{
    public MilestoneSummary Milestone(double level) =>
        Milestones.FirstOrDefault(m => m.Level == level) ?? throw new ArgumentOutOfRangeException(nameof(level), level, "Not a reported coverage level.");

    public static SimulationSummary From(SimulationResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var topics = results.Topics;
        var covered = topics.Where(t => t.InterestedPeers > 0).ToArray();

        var milestones = CoverageLevels.All.Select(level =>
        {
            var reached = covered.Select(t => t.Milestone(level)).Where(m => m.Seconds is not null).ToArray();
            return new MilestoneSummary(
                level,
                covered.Length == 0 ? 0 : (double)reached.Length / covered.Length,
                Mean(reached.Select(m => m.Seconds!.Value)),
                Median(reached.Select(m => m.Seconds!.Value)),
                Mean(reached.Select(m => (double)m.Hops!.Value)));
        });

        long pairs = results.Redundancy.Sum(b => b.Count);
        long copies = results.Redundancy.Sum(b => b.Count * b.Copies);
        var n = results.PeerCount;
        var t = results.Totals;
        return new SimulationSummary(
            n,
            results.Peers.Count(p => p.Honest),
            topics.Count,
            covered.Length,
            Mean(covered.Select(c => c.Coverage!.Value)),
            Mean(topics.Select(c => c.Reach)),
            new ValueList<MilestoneSummary>(milestones),
            pairs == 0 ? null : (double)copies / pairs,
            results.Redundancy.Count == 0 ? 0 : results.Redundancy.Max(b => b.Copies),
            t.Frames,
            t.Bytes,
            n == 0 ? 0 : (double)t.Frames / n,
            n == 0 ? 0 : (double)t.Bytes / n,
            t.PowHashes,
            t.RepliesDelivered,
            topics.Count == 0 ? null : (double)topics.Count(x => x.Replies > 0) / topics.Count,
            Mean(topics.Where(x => x.SecondsToFirstReply is not null).Select(x => x.SecondsToFirstReply!.Value)),
            results.FramesByKind,
            results.EarningsByRole,
            results.EarningsByHonesty);
    }

    private static double? Mean(IEnumerable<double> values)
    {
        double sum = 0;
        var count = 0;
        foreach (var v in values)
        {
            sum += v;
            count++;
        }
        return count == 0 ? null : sum / count;
    }

    private static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return null;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
