using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Randomness;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Tests.Metrics;

public class MetricsRecorderTests
{
    private readonly SimulationResults _results = EventStream.Run(EventStream.Events());

    [Fact]
    public void Coverage_milestones_are_the_times_and_hops_at_which_each_share_of_interested_peers_had_the_topic()
    {
        var t0 = _results.Topics[0];
        Assert.Equal((0, 0, 10.0), (t0.Topic, t0.Origin, t0.OriginTimeSeconds));
        Assert.Equal(4, t0.InterestedPeers);          // the origin is never interested
        Assert.Equal(3, t0.InterestedReached);        // 1, 2, 3; not 4; 5 is not interested
        Assert.Equal(0.75, t0.Coverage);
        Assert.Equal(4, t0.PeersReached);
        Assert.Equal(0.8, t0.Reach);
        AssertMilestone(t0.Milestone(0.5), 0.2, 1);   // 2 of 4: node 2 at 10.2
        AssertMilestone(t0.Milestone(0.9), null, null);
        AssertMilestone(t0.Milestone(1.0), null, null);

        var t1 = _results.Topics[1];
        Assert.Equal(5, t1.InterestedPeers);          // everyone but the origin
        Assert.Equal(1.0, t1.Coverage);
        AssertMilestone(t1.Milestone(0.5), 1.0, 2);   // 3 of 5: 0 and 2 at 0.5 s, then 1 at 1.0 s (hop 2)
        AssertMilestone(t1.Milestone(0.9), 2.0, 3);   // 5 of 5 (⌈4.5⌉): node 4 at 2.0 s, hop 3
        AssertMilestone(t1.Milestone(0.99), 2.0, 3);
        AssertMilestone(t1.Milestone(1.0), 2.0, 3);
    }

    private static void AssertMilestone(CoverageMilestone m, double? seconds, int? hops)
    {
        if (seconds is null) Assert.Null(m.Seconds);
        else Assert.Equal(seconds.Value, m.Seconds!.Value, 9);
        Assert.Equal(hops, m.Hops);
    }

    [Fact]
    public void Redundancy_counts_copies_per_topic_and_peer()
    {
        Assert.Equal([new RedundancyBin(1, 6), new RedundancyBin(2, 2), new RedundancyBin(3, 1)], _results.Redundancy);
        Assert.Equal((8L, 4L), (_results.Topics[0].Copies, _results.Topics[0].Duplicates));
        Assert.Equal((6L, 1L), (_results.Topics[1].Copies, _results.Topics[1].Duplicates));

        var p = _results.Peers;
        Assert.Equal((1, 2L, 1L), (p[0].TopicsReceived, p[0].CopiesReceived, p[0].DuplicatesReceived)); // its own topic came back once
        Assert.Equal((2, 4L, 2L), (p[2].TopicsReceived, p[2].CopiesReceived, p[2].DuplicatesReceived));
        Assert.Equal((1, 2L, 1L), (p[4].TopicsReceived, p[4].CopiesReceived, p[4].DuplicatesReceived));
    }

    [Fact]
    public void The_coverage_curve_averages_topics_at_each_step_since_origination()
    {
        Assert.Equal([0, 0.5, 1.0, 1.5, 2.0], _results.Coverage.Select(c => c.SecondsSinceOrigin));
        double[] mean = [0, 0.575, 0.775, 0.775, 0.875];
        for (var i = 0; i < mean.Length; i++) Assert.Equal(mean[i], _results.Coverage[i].Mean, 12);
        Assert.Equal(new CoveragePoint(1.0, _results.Coverage[2].Mean, 0.75, 0.8, 2), _results.Coverage[2]);
    }

    [Fact]
    public void Frames_bytes_and_work_are_counted_per_peer_per_kind_and_over_time()
    {
        var p = _results.Peers;
        Assert.Equal((2L, 150L, 0L, 0L, 256L), (p[0].FramesSent, p[0].BytesSent, p[0].FramesReceived, p[0].BytesReceived, p[0].PowHashes));
        Assert.Equal((1L, 300L), (p[3].FramesReceived, p[3].BytesReceived));
        Assert.Equal(new FrameKindTotal(FrameKind.Broadcast, 1, 100), _results.FramesByKind.Single(k => k.Kind == FrameKind.Broadcast));
        Assert.Equal(new Totals(2, 3, 450, 1280, 9, 5, 2), _results.Totals);

        Assert.Equal(
            [
                new TrafficPoint(0, 0, 0, 0, 0, 0, 0, 0),
                new TrafficPoint(10, 2, 150, 4, 4, 1, 0, 256),
                new TrafficPoint(20, 1, 300, 6, 0, 1, 2, 1024),
            ],
            _results.Traffic);
    }

    [Fact]
    public void Replies_and_money_are_counted_by_role_and_by_honesty()
    {
        Assert.Equal(2, _results.Topics[1].Replies);
        Assert.Equal(4.0, _results.Topics[1].SecondsToFirstReply);
        Assert.Null(_results.Topics[0].SecondsToFirstReply);
        Assert.Equal((2, 0), (_results.Peers[3].RepliesReceived, _results.Peers[3].RepliesSent));
        Assert.Equal(1, _results.Peers[4].RepliesSent);

        Assert.Equal(
            [
                new RoleEarnings(PaymentRole.Originator, 0, 20_010, 1),
                new RoleEarnings(PaymentRole.Middleman, 20_010, 20_000, 1),
                new RoleEarnings(PaymentRole.Replier, 20_000, 0, 1),
                new RoleEarnings(PaymentRole.Favour, 0, 0, 0),
            ],
            _results.EarningsByRole);
        Assert.Equal([new GroupEarnings(true, 5, 20_000, 20_010), new GroupEarnings(false, 1, 20_010, 20_000)], _results.EarningsByHonesty);
        Assert.Equal(-2, _results.EarningsByHonesty[0].MeanNetMsat);
        Assert.Equal(10, _results.Peers[5].NetMsat);
        Assert.Equal((PeerKind.Driver, true), (_results.Peers[4].Kind, _results.Peers[4].Honest));
        Assert.False(_results.Peers[5].Honest);
    }

    [Fact]
    public void Results_do_not_depend_on_the_order_events_arrive_in()
    {
        foreach (var seed in new ulong[] { 1, 2, 3, 4, 5 })
        {
            var events = EventStream.Events().ToArray();
            new SimRandom(seed).Shuffle(events);
            Assert.Equal(_results, EventStream.Run(events));
        }
    }

    [Fact]
    public void Concurrent_recording_gives_the_same_results()
    {
        var recorder = new MetricsRecorder(EventStream.Peers, EventStream.Settings);
        Parallel.ForEach(EventStream.Events(), new ParallelOptions { MaxDegreeOfParallelism = 4 }, e => e(recorder));
        Assert.Equal(_results, recorder.Aggregate());
    }

    [Fact]
    public void Contract_violations_are_refused_with_a_reason()
    {
        var recorder = new MetricsRecorder(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => recorder.FirstReceived(0, 1, 3, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => recorder.FirstReceived(0, double.NaN, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => recorder.FrameSent(0, 0, 1, FrameKind.Ack, -1));
        recorder.TopicOriginated(0, 0, 0);
        Assert.Throws<InvalidOperationException>(() => recorder.TopicOriginated(0, 1, 1));
        recorder.FirstReceived(7, 1, 1, 1);
        var e = Assert.Throws<InvalidOperationException>(recorder.Aggregate);
        Assert.Contains("Topic 7", e.Message);
    }

    [Fact]
    public void An_empty_run_aggregates_to_empty_series()
    {
        var results = new MetricsRecorder(4).Aggregate();
        Assert.Equal(4, results.Peers.Count);
        Assert.Empty(results.Topics);
        Assert.Empty(results.Coverage);
        Assert.Empty(results.Redundancy);
        Assert.Equal(2, results.EarningsByHonesty.Count);
    }
}
