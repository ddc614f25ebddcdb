using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Runner;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Tests.Support;
using SweetGossip.Simulation.Topology;
using Xunit.Abstractions;

namespace SweetGossip.Simulation.Tests.Runner;

/// <summary>Whole runs of the node's actors on virtual time: small cities, the full protocol with payments.</summary>
public sealed class SimulationRunnerTests(ITestOutputHelper output)
{
    internal static SimulationConfig SmallCity(long seed = 11) => new()
    {
        Seed = seed,
        DurationSeconds = 120,
        Fanout = 3,
        DifficultyBits = 4,
        Hops = 10,
        Topology = TopologySpec.RandomRegular(4),
        Taxi = new TaxiScenario { Peers = 60, DriverFraction = 0.3, RiderTopicsPerMinute = 3, DriverAreaPrecision = 4 },
    };

    private void Show(SimulationRun run)
    {
        var s = run.Summary;
        output.WriteLine($"topics {s.Topics} coverage {s.MeanCoverage} replies {s.RepliesDelivered} frames {s.Frames} pow {s.PowHashes} items {run.Statistics.WorkItems} money {run.Money}");
    }

    [Fact]
    public void A_small_taxi_city_runs_the_whole_protocol_on_one_thread_and_conserves_money()
    {
        var reports = new List<SimulationProgress>();
        var run = SimulationRunner.Run(SmallCity(), new SimulationRunOptions { Progress = new Collect(reports) });
        Show(run);
        var s = run.Summary;
        Assert.True(s.Topics >= 3, $"only {s.Topics} topics");
        Assert.Contains(reports, r => r.Phase == SimulationPhase.StartingNodes);
        Assert.Equal((SimulationPhase.Running, 1.0), (reports[^1].Phase, reports[^1].Fraction));
        // Nothing ran off the simulation's thread: the run is repeatable.
        Assert.Equal(0, run.Statistics.ForeignWorkItems);
        Assert.True(s.RepliesDelivered > 0);
        Assert.True(s.PowHashes > 0);

        // Every msat deposited is somewhere at the end, none is stuck, and what riders paid is what drivers and middlemen earned.
        Assert.True(run.Money.Conserved, run.Money.ToString());
        Assert.Equal(0UL, run.Money.LockedMsat);
        var paid = s.EarningsByRole.Sum(r => r.PaidMsat);
        var earned = s.EarningsByRole.Sum(r => r.EarnedMsat);
        Assert.True(paid > 0);
        Assert.Equal(paid, earned);
        var replier = s.EarningsByRole.Single(r => r.Role == PaymentRole.Replier);
        Assert.Equal(s.RepliesDelivered * SmallCity().Taxi.Prices.DriverPriceMsat, replier.EarnedMsat);
    }

    private sealed class Collect(List<SimulationProgress> reports) : IProgress<SimulationProgress>
    {
        public void Report(SimulationProgress value) => reports.Add(value);
    }

    [Fact]
    public void The_same_seed_gives_the_same_results_and_another_seed_does_not()
    {
        var first = SimulationRunner.Run(SmallCity(seed: 5));
        var second = SimulationRunner.Run(SmallCity(seed: 5));
        var other = SimulationRunner.Run(SmallCity(seed: 6));
        Assert.Equal(first.Results, second.Results);
        Assert.Equal(first.Summary, second.Summary);
        Assert.Equal(first.Statistics.WorkItems, second.Statistics.WorkItems);
        Assert.NotEqual(first.Results, other.Results);
    }

    [Fact]
    public void A_connected_honest_network_with_fanout_to_every_neighbour_reaches_every_peer()
    {
        var config = SmallCity() with
        {
            Fanout = 6,
            Hops = 16,
            Topology = TopologySpec.RandomRegular(6),
            // Drivers take jobs instead of passing them on; for pure dissemination every peer relays.
            Taxi = SmallCity().Taxi with { DriverFraction = 0 },
        };
        var run = SimulationRunner.Run(config);
        Show(run);
        Assert.NotEmpty(run.Results.Topics);
        Assert.All(run.Results.Topics, t => Assert.Equal(config.PeerCount - 1, t.PeersReached));
        Assert.Equal(1.0, run.Summary.MeanCoverage);
    }

    [Fact]
    public void A_silent_peer_on_a_line_stops_every_topic_at_itself()
    {
        using var folder = new TempFolder();
        const int n = 20;
        var edges = Path.Combine(folder.Path, "line.txt");
        File.WriteAllLines(edges, ["# nodes: 20", .. Enumerable.Range(0, n - 1).Select(i => $"{i} {i + 1}")]);
        var config = SmallCity(seed: 3) with
        {
            DurationSeconds = 300,
            Fanout = 2,
            Hops = 32,
            Topology = TopologySpec.FromFile(edges),
            Taxi = SmallCity().Taxi with { Peers = n, DriverFraction = 0, RiderTopicsPerMinute = 2 },
            Attacks = new([new Attack { Kind = AttackKind.Silent, Fraction = 1.0 / n }]),
        };
        var run = SimulationRunner.Run(config);
        var silent = run.Results.Peers.Single(p => !p.Honest).Node;
        output.WriteLine($"silent node {silent}, topics {run.Results.Topics.Count}");
        Assert.True(run.Results.Topics.Count >= 3);
        Assert.All(run.Results.Topics, t =>
        {
            // The silent peer receives (it accepts the favour) but passes nothing on: only its side of the line hears.
            var expected = t.Origin < silent ? silent : t.Origin > silent ? n - 1 - silent : n - 1 - silent + silent;
            if (t.Origin == silent) expected = n - 1; // its own topics it does send
            Assert.Equal(expected, t.PeersReached);
        });
    }
}
