using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Metrics;

/// <summary>
/// Turns a <see cref="MetricsRecorder"/>'s raw data into <see cref="SimulationResults"/>. Everything is
/// sorted first and summed in a fixed order, so results never depend on event arrival order.
/// </summary>
internal static class MetricsAggregator
{
    public static SimulationResults Aggregate(MetricsRecorder r)
    {
        var n = r.PeerCount;
        var topicsReceived = new int[n];
        var copies = new long[n];
        var duplicates = new long[n];
        var redundancy = new SortedDictionary<int, long>();
        var topicStats = new List<TopicStats>();
        var curves = new List<double[]>(); // per topic with interested peers: sorted relative times
        var interestedCounts = new List<int>();

        foreach (var topic in r.Topics.Keys.Order())
        {
            var log = r.Topics[topic];
            if (!log.Originated)
                throw new InvalidOperationException($"Topic {topic} has events but TopicOriginated was never recorded for it.");
            var (stats, relativeTimes) = Topic(topic, log, n, topicsReceived, copies, duplicates, redundancy);
            topicStats.Add(stats);
            if (stats.InterestedPeers > 0)
            {
                curves.Add(relativeTimes);
                interestedCounts.Add(stats.InterestedPeers);
            }
        }

        var peers = new PeerStats[n];
        for (var node = 0; node < n; node++)
        {
            peers[node] = new PeerStats(node, r.Kind[node], r.Honest[node], topicsReceived[node], copies[node], duplicates[node],
                r.FramesSent[node], r.BytesSent[node], r.FramesReceived[node], r.BytesReceived[node], r.PowHashes[node],
                r.RepliesSent[node], r.RepliesReceived[node], Amounts(r.Earned, node), Amounts(r.Paid, node));
        }

        return new SimulationResults(
            n,
            r.Settings,
            new ValueList<PeerStats>(peers),
            new ValueList<TopicStats>(topicStats),
            new ValueList<CoveragePoint>(CoverageCurve(curves, interestedCounts, r.Settings)),
            new ValueList<TrafficPoint>(Traffic(r.Traffic)),
            new ValueList<RedundancyBin>(redundancy.Select(kv => new RedundancyBin(kv.Key, kv.Value))),
            new ValueList<RoleEarnings>(Enum.GetValues<PaymentRole>().Select(role => RoleTotal(r, role))),
            new ValueList<GroupEarnings>([Group(peers, honest: true), Group(peers, honest: false)]),
            new ValueList<FrameKindTotal>(Enum.GetValues<FrameKind>().Select(k => new FrameKindTotal(k, r.FramesByKind[(int)k], r.BytesByKind[(int)k]))),
            new Totals(
                topicStats.Count,
                r.FramesSent.Sum(),
                r.BytesSent.Sum(),
                r.PowHashes.Sum(),
                topicStats.Sum(t => (long)t.PeersReached),
                topicStats.Sum(t => t.Duplicates),
                r.Topics.Values.Sum(t => t.Replies)));
    }

    private static (TopicStats Stats, double[] RelativeTimes) Topic(
        int topic, TopicLog log, int peerCount, int[] topicsReceived, long[] copies, long[] duplicates, SortedDictionary<int, long> redundancy)
    {
        // First receipts by node; a second "first" for the same node counts as a duplicate.
        var receipts = log.Receipts.ToArray();
        Array.Sort(receipts, (a, b) => a.Node != b.Node ? a.Node.CompareTo(b.Node) : a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Hops.CompareTo(b.Hops));
        var dupNodes = log.DuplicateNodes.ToArray();
        Array.Sort(dupNodes);

        var firsts = new List<TopicLog.Receipt>();
        long topicCopies = 0, topicDuplicates = 0;
        int i = 0, j = 0;
        while (i < receipts.Length || j < dupNodes.Length)
        {
            var node = Math.Min(i < receipts.Length ? receipts[i].Node : int.MaxValue, j < dupNodes.Length ? dupNodes[j] : int.MaxValue);
            var got = 0;
            var firstIndex = i;
            while (i < receipts.Length && receipts[i].Node == node) { got++; i++; }
            while (j < dupNodes.Length && dupNodes[j] == node) { got++; j++; }
            var hasFirst = firstIndex < i && node != log.Origin;
            if (hasFirst)
            {
                firsts.Add(receipts[firstIndex]);
                topicsReceived[node]++;
                redundancy[got] = redundancy.GetValueOrDefault(got) + 1;
            }
            copies[node] += got;
            duplicates[node] += got - (hasFirst ? 1 : 0);
            topicCopies += got;
            topicDuplicates += got - (hasFirst ? 1 : 0);
        }

        // Interested first receipts, in the order coverage grew.
        var interestedCount = log.Interested?.Length ?? peerCount - 1;
        var reached = firsts.Where(f => log.Interested is null || Array.BinarySearch(log.Interested, f.Node) >= 0).ToArray();
        Array.Sort(reached, (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Hops != b.Hops ? a.Hops.CompareTo(b.Hops) : a.Node.CompareTo(b.Node));

        var milestones = new List<CoverageMilestone>();
        foreach (var level in CoverageLevels.All)
        {
            var needed = CoverageLevels.Needed(level, interestedCount);
            if (interestedCount == 0 || reached.Length < needed)
            {
                milestones.Add(new CoverageMilestone(level, null, null));
                continue;
            }
            var maxHops = 0;
            for (var k = 0; k < needed; k++) maxHops = Math.Max(maxHops, reached[k].Hops);
            milestones.Add(new CoverageMilestone(level, reached[needed - 1].Time - log.OriginTime, maxHops));
        }

        var stats = new TopicStats(
            topic,
            log.Origin,
            log.OriginTime,
            interestedCount,
            reached.Length,
            interestedCount == 0 ? null : (double)reached.Length / interestedCount,
            firsts.Count,
            peerCount <= 1 ? 0 : (double)firsts.Count / (peerCount - 1),
            new ValueList<CoverageMilestone>(milestones),
            topicCopies,
            topicDuplicates,
            log.Replies,
            log.Replies == 0 ? null : log.FirstReplyTime - log.OriginTime);
        return (stats, reached.Select(f => f.Time - log.OriginTime).ToArray());
    }

    /// <summary>
    /// Mean/min/max coverage over topics at step·k seconds after origination. Without a horizon the curve
    /// runs to the last interested first-receipt; a step too fine for that is widened to keep at most
    /// <see cref="MetricsSettingsLimits.MaxCoveragePoints"/> points, rather than failing after a long run.
    /// </summary>
    private static List<CoveragePoint> CoverageCurve(List<double[]> relativeTimes, List<int> interested, MetricsSettings settings)
    {
        var points = new List<CoveragePoint>();
        if (relativeTimes.Count == 0) return points;
        var horizon = settings.CoverageHorizonSeconds ?? Math.Max(0, relativeTimes.Max(t => t.Length == 0 ? 0 : t[^1]));
        var step = settings.CoverageStepSeconds;
        var steps = (long)Math.Ceiling(horizon / step - 1e-9);
        if (steps + 1 > MetricsSettingsLimits.MaxCoveragePoints)
        {
            steps = MetricsSettingsLimits.MaxCoveragePoints - 1;
            step = horizon / steps;
        }

        var cursor = new int[relativeTimes.Count];
        for (long k = 0; k <= steps; k++)
        {
            var at = k * step;
            double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (var t = 0; t < relativeTimes.Count; t++)
            {
                var times = relativeTimes[t];
                while (cursor[t] < times.Length && times[cursor[t]] <= at + 1e-9) cursor[t]++;
                var coverage = (double)cursor[t] / interested[t];
                sum += coverage;
                min = Math.Min(min, coverage);
                max = Math.Max(max, coverage);
            }
            points.Add(new CoveragePoint(at, sum / relativeTimes.Count, min, max, relativeTimes.Count));
        }
        return points;
    }

    private static IEnumerable<TrafficPoint> Traffic(TrafficBuckets b)
    {
        for (var k = 0; k < b.Count; k++)
        {
            yield return new TrafficPoint(k * b.BucketSeconds,
                b.Get(k, TrafficBuckets.Frames), b.Get(k, TrafficBuckets.Bytes),
                b.Get(k, TrafficBuckets.FirstReceipts), b.Get(k, TrafficBuckets.Duplicates),
                b.Get(k, TrafficBuckets.Topics), b.Get(k, TrafficBuckets.Replies), b.Get(k, TrafficBuckets.PowHashes));
        }
    }

    private static RoleAmounts Amounts(long[][] table, int node) =>
        new(table[(int)PaymentRole.Originator][node], table[(int)PaymentRole.Middleman][node], table[(int)PaymentRole.Replier][node],
            table[(int)PaymentRole.Favour][node]);

    private static RoleEarnings RoleTotal(MetricsRecorder r, PaymentRole role)
    {
        var earned = r.Earned[(int)role];
        var paid = r.Paid[(int)role];
        var peers = 0;
        for (var node = 0; node < r.PeerCount; node++)
            if (earned[node] != 0 || paid[node] != 0) peers++;
        return new RoleEarnings(role, earned.Sum(), paid.Sum(), peers);
    }

    private static GroupEarnings Group(PeerStats[] peers, bool honest)
    {
        var group = peers.Where(p => p.Honest == honest).ToArray();
        return new GroupEarnings(honest, group.Length, group.Sum(p => p.Earned.TotalMsat), group.Sum(p => p.Paid.TotalMsat));
    }
}
