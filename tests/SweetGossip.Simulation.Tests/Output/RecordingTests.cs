using System.Text.Json;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Compare;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Output;
using SweetGossip.Simulation.Runner;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Tests.Runner;
using SweetGossip.Simulation.Tests.Support;
using SweetGossip.Simulation.Topology;
using Xunit.Abstractions;

namespace SweetGossip.Simulation.Tests.Output;

/// <summary>The files streamed during a run (trace.jsonl, peer-events.csv) and `sim compare`.</summary>
public sealed class RecordingTests(ITestOutputHelper output)
{
    private static SimulationConfig City => SimulationRunnerTests.SmallCity(seed: 17) with { DurationSeconds = 60 };

    /// <summary>Chatterboxes repeat every topic often enough that their neighbours ban them; peers and links churn.</summary>
    private static SimulationConfig Turbulent => SimulationRunnerTests.SmallCity(seed: 19) with
    {
        DurationSeconds = 150,
        Taxi = SimulationRunnerTests.SmallCity().Taxi with { RiderTopicsPerMinute = 12 },
        Attacks = new ValueList<Attack>([new Attack { Kind = AttackKind.Chatterbox, Fraction = 0.1, RepeatsPerTopic = 40, RepeatIntervalSeconds = 0.5 }]),
        Churn = new Churn { OfflinePerHour = 20, OnlinePerHour = 60, LinkDropPerHour = 10, RelinkSeconds = 5 },
    };

    private static (SimulationRun Run, string[] Events, string[] Trace) Recorded(SimulationConfig config, int? threads = null, long maxLines = 10_000_000)
    {
        using var folder = new TempFolder();
        var run = SimulationRunner.Run(config, new SimulationRunOptions
        {
            Threads = threads,
            PeerEventsPath = folder.File(PeerEventsCsv.FileName),
            PeerEventInterval = TimeSpan.FromSeconds(1),
            TracePath = folder.File(FrameTrace.FileName),
            TraceMaxLines = maxLines,
        });
        return (run, File.ReadAllLines(folder.File(PeerEventsCsv.FileName)), File.ReadAllLines(folder.File(FrameTrace.FileName)));
    }

    [Fact]
    public void The_trace_has_every_frame_and_receipt_with_kinds_by_name()
    {
        var (run, _, trace) = Recorded(City);
        var lines = trace.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var frames = lines.Where(l => l.GetProperty("event").GetString() == "Frame").ToList();
        Assert.Equal(run.Summary.Frames, frames.Count);
        Assert.Equal(run.Summary.Bytes, frames.Sum(f => f.GetProperty("bytes").GetInt64()));
        Assert.All(frames, f => Assert.True(Enum.IsDefined(Enum.Parse<FrameKind>(f.GetProperty("kind").GetString()!))));
        Assert.Equal(run.Summary.FramesByKind.Single(k => k.Kind == FrameKind.Broadcast).Frames, frames.Count(f => f.GetProperty("kind").GetString() == "Broadcast"));
        var accepted = lines.Where(l => l.GetProperty("event").GetString() == "Accepted").ToList();
        Assert.Equal(run.Results.Totals.FirstReceipts, accepted.Count(a => a.GetProperty("topic").ValueKind == JsonValueKind.Number));
        Assert.All(accepted, a => Assert.Matches("^[0-9a-f]{32}$", a.GetProperty("payload").GetString()!));
        Assert.Contains(lines, l => l.GetProperty("event").GetString() == "Duplicate");
        // In time order, as the nodes reported.
        var times = lines.Select(l => l.GetProperty("time_s").GetDouble()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(trace.Length, run.Statistics.Recording!.TraceLines);
    }

    [Fact]
    public void Trace_frames_name_the_payload_they_carry_so_a_broadcast_can_be_followed_hop_by_hop()
    {
        var (_, _, trace) = Recorded(City);
        var lines = trace.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var frames = lines.Where(l => l.GetProperty("event").GetString() == "Frame").ToList();
        // Every kind that carries a payload id names it; conditions (an ask id only) and node announcements name none.
        var naming = new[] { "AskForFavour", "Broadcast", "Reply", "ThankYou", "Validate", "Ack", "TopicAnnouncement", "AlreadyHave", "FavourDeclined" };
        foreach (var frame in frames)
        {
            var kind = frame.GetProperty("kind").GetString()!;
            var payload = frame.GetProperty("payload");
            if (naming.Contains(kind)) Assert.Matches("^[0-9a-f]{32}$", payload.GetString()!);
            else Assert.Equal(JsonValueKind.Null, payload.ValueKind);
        }
        Assert.Contains(frames, f => f.GetProperty("kind").GetString() == "Reply");
        // Each accepted topic came in a broadcast of that payload over that link, sent no later.
        var broadcasts = frames.Where(f => f.GetProperty("kind").GetString() == "Broadcast")
            .ToLookup(f => (f.GetProperty("from").GetInt32(), f.GetProperty("to").GetInt32(), f.GetProperty("payload").GetString()), f => f.GetProperty("time_s").GetDouble());
        var accepted = lines.Where(l => l.GetProperty("event").GetString() == "Accepted").ToList();
        Assert.NotEmpty(accepted);
        Assert.All(accepted, a => Assert.Contains(broadcasts[(a.GetProperty("from").GetInt32(), a.GetProperty("to").GetInt32(), a.GetProperty("payload").GetString())],
            sent => sent <= a.GetProperty("time_s").GetDouble()));
    }

    [Fact]
    public void The_trace_stops_at_its_limit_and_counts_what_it_left_out()
    {
        var (whole, _, all) = Recorded(City);
        var (run, _, trace) = Recorded(City, maxLines: 100);
        Assert.Equal(100, trace.Length);
        Assert.Equal(all[..100], trace);
        Assert.Equal(all.Length - 100, run.Statistics.Recording!.TraceLinesDropped);
        Assert.Equal(SummaryJson.Serialize(whole.Summary), SummaryJson.Serialize(run.Summary));
    }

    [Fact]
    public void Recording_does_not_change_the_run()
    {
        var plain = SimulationRunner.Run(Turbulent);
        var (recorded, events, _) = Recorded(Turbulent);
        Assert.True(events.Length > 1);
        Assert.Equal(SummaryJson.Serialize(plain.Summary), SummaryJson.Serialize(recorded.Summary));
        Assert.Equal(plain.Results.Topics, recorded.Results.Topics);
    }

    [Fact]
    public void Peer_events_name_churn_and_bans_in_time_order_and_repeat_on_any_thread_count()
    {
        var (one, events, trace) = Recorded(Turbulent, threads: 1);
        var (_, eventsOfTwo, traceOfTwo) = Recorded(Turbulent, threads: 2);
        output.WriteLine(string.Join("\n", events.GroupBy(e => e.Split(',')[3]).Select(g => $"{g.Key}: {g.Count()}")));
        Assert.Equal("time_s,node,peer,event,cause,value", events[0]);
        var rows = events.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.True(Enum.TryParse<PeerEventKind>(r[3], out _), r[3]));
        foreach (var kind in new[] { "Offline", "Online", "LinkDropped", "LinkRedialled", "Banned", "ScoreChanged" })
            Assert.Contains(rows, r => r[3] == kind);
        // A ban is of a chatterbox, by one of its neighbours.
        var chatterboxes = one.Results.Peers.Where(p => !p.Honest).Select(p => p.Node.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.All(rows.Where(r => r[3] == "Banned"), r => Assert.Contains(r[2], chatterboxes));
        var times = rows.Select(r => double.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.Order(), times);

        Assert.Equal(events, eventsOfTwo);
        Assert.Equal(trace, traceOfTwo);
    }

    [Fact]
    public void Peer_events_show_the_score_changes_that_led_to_each_ban()
    {
        var (_, events, _) = Recorded(Turbulent);
        var rows = events.Skip(1).Select(l => l.Split(',')).ToList();
        var scored = rows.Where(r => r[3] == "ScoreChanged").ToList();
        Assert.All(scored, r =>
        {
            Assert.True(Enum.TryParse<SweetGossip.Protocol.Gossip.PeerBehaviour>(r[4], out _), r[4]);
            Assert.True(double.TryParse(r[5], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _), r[5]);
        });
        Assert.Contains(scored, r => r[4] == "FirstDelivery");
        // Before each ban, the banning node judged that peer below the threshold: the penalty behind it is named.
        var threshold = new SweetGossip.Protocol.Gossip.PeerScoreParameters().DisconnectThreshold;
        var bans = rows.Where(r => r[3] == "Banned").ToList();
        Assert.NotEmpty(bans);
        Assert.All(bans, ban => Assert.Contains(scored, s => s[1] == ban[1] && s[2] == ban[2]
            && double.Parse(s[0], System.Globalization.CultureInfo.InvariantCulture) <= double.Parse(ban[0], System.Globalization.CultureInfo.InvariantCulture)
            && double.Parse(s[5], System.Globalization.CultureInfo.InvariantCulture) < threshold));
    }

    /// <summary>
    /// Free riders never pay the replies to their topics: the relays that carried them ask them (and the honest relays on
    /// those paths) more work. The run must outlast the reply invoices (30 min) for an unpaid relay to end at all.
    /// </summary>
    [Fact]
    public void Peer_events_show_the_difficulty_raised_for_peers_that_never_thank()
    {
        var config = new SimulationConfig
        {
            Seed = 5,
            DurationSeconds = 3600,
            Fanout = 3,
            DifficultyBits = 4,
            Hops = 10,
            Topology = TopologySpec.RandomRegular(4),
            Taxi = new TaxiScenario { Peers = 60, DriverFraction = 0.5, RiderTopicsPerMinute = 3, DriverAreaPrecision = 3 },
            Attacks = new ValueList<Attack>([new Attack { Kind = AttackKind.FreeRider, Fraction = 0.3 }]),
        };
        var (run, events, _) = Recorded(config);
        var changes = events.Skip(1).Select(l => l.Split(',')).Where(r => r[3] == "DifficultyChanged").ToList();
        output.WriteLine($"{changes.Count} difficulty changes, {changes.Count(r => r[4] == "Unthanked")} raised");
        Assert.NotEmpty(changes);
        Assert.All(changes, r => Assert.Contains(r[4], new[] { "Thanked", "Unthanked" }));
        var maxBits = config.DifficultyBits + SweetGossip.Node.Hosting.NodeDefaults.Node.MaxExtraDifficultyBits;
        Assert.All(changes, r => Assert.InRange(int.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture), config.DifficultyBits, maxBits));
        // A raise goes one bit above what that node asked of that peer before.
        foreach (var link in changes.GroupBy(r => (r[1], r[2])))
        {
            var bits = config.DifficultyBits;
            foreach (var change in link)
            {
                var now = int.Parse(change[5], System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(change[4] == "Unthanked", now > bits);
                bits = now;
            }
        }
        var riders = run.Results.Peers.Where(p => !p.Honest).Select(p => p.Node.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Contains(changes, r => r[4] == "Unthanked" && riders.Contains(r[2]));
    }

    [Fact]
    public void Compare_puts_every_summary_number_side_by_side_and_overlays_the_series()
    {
        using var folder = new TempFolder();
        var a = SimulationRunner.Run(City);
        var b = SimulationRunner.Run(City with { Fanout = 4 });
        SimulationOutput.WriteAll(folder.File("fanout3"), City, a.Results, PlotFormat.Svg);
        SimulationOutput.WriteAll(folder.File("fanout4"), City with { Fanout = 4 }, b.Results, PlotFormat.Svg);

        var files = ResultsComparison.Write(folder.File("fanout3"), folder.File("fanout4"), folder.File("cmp"), PlotFormat.Svg);
        var csv = File.ReadAllLines(files.Csv);
        Assert.Equal("metric,a,b,difference,ratio", csv[0]);
        string Row(string metric) => Assert.Single(csv, l => l.StartsWith(metric + ",", StringComparison.Ordinal));
        Assert.Equal($"frames,{a.Summary.Frames},{b.Summary.Frames},{b.Summary.Frames - a.Summary.Frames},{CsvWriter.Format((double)b.Summary.Frames / a.Summary.Frames)}", Row("frames"));
        Row("framesByKind[kind=AskForFavour].bytes");
        Row("milestones[level=0.9].meanHops");
        Row("earningsByHonesty[honest=true].netMsat");
        var md = File.ReadAllText(files.Markdown);
        Assert.Contains("| metric | A | B | B − A | B / A |", md);
        Assert.Contains("(fanout3)", md);
        Assert.Equal(3, files.Plots.Count);
        Assert.All(files.Plots, p => Assert.Contains("fanout4", File.ReadAllText(p)));

        var missing = Assert.Throws<InvalidDataException>(() => ResultsComparison.Write(folder.File("fanout3"), folder.File("cmp"), folder.File("cmp2")));
        Assert.Contains("B: no summary.json", missing.Message);
    }

    [Theory]
    [InlineData("[1, 2]", "a summary is a JSON object")]
    [InlineData("{ \"peers\": ", "is not valid JSON")]
    public void Compare_names_the_side_and_the_problem_of_a_bad_summary(string content, string problem)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("good"));
        File.WriteAllText(Path.Combine(folder.File("good"), SummaryJson.FileName), "{ \"peers\": 3 }");
        Directory.CreateDirectory(folder.File("bad"));
        File.WriteAllText(Path.Combine(folder.File("bad"), SummaryJson.FileName), content);
        var error = Assert.Throws<InvalidDataException>(() => ResultsComparison.Write(folder.File("bad"), folder.File("good"), folder.File("cmp")));
        Assert.StartsWith("A: ", error.Message);
        Assert.Contains(problem, error.Message);
    }
}
