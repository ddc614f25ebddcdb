using SweetGossip.Simulation.Output;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Sweep;
using SweetGossip.Simulation.Tests.Support;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Tests;

public class EndToEndTests
{
    private static readonly SimulationConfig Config = new()
    {
        Seed = 12,
        DurationSeconds = 300,
        Fanout = 3,
        Hops = 12,
        Topology = TopologySpec.RandomRegular(6),
        Taxi = new TaxiScenario { Peers = 1500, DriverFraction = 0.3, RiderTopicsPerMinute = 6, DriverAreaPrecision = 5 },
    };

    [Fact]
    public void The_same_config_gives_identical_results_and_files()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        var first = ToyGossip.Run(Config);
        Assert.Equal(first, ToyGossip.Run(Config));
        SimulationOutput.WriteAll(a.Path, Config, first, PlotFormat.Svg);
        SimulationOutput.WriteAll(b.Path, Config, ToyGossip.Run(Config), PlotFormat.Svg);
        foreach (var name in new[] { "peers.csv", "topics.csv", "coverage.csv", "traffic.csv", "redundancy.csv", "earnings.csv", "summary.json", "report.md", "config.json" })
            Assert.Equal(File.ReadAllText(a.File(name)), File.ReadAllText(b.File(name)));
        Assert.NotEqual(first, ToyGossip.Run(Config with { Seed = 13 }));
    }

    [Fact]
    public void Silent_attackers_lower_coverage_and_the_sweep_shows_it()
    {
        var grid = new SweepGrid
        {
            Fanouts = new([2, 3]),
            DifficultyBits = new([4]),
            AdversaryFractions = new([0, 0.5]),
            Attack = new Attack { Kind = AttackKind.Silent, Fraction = 0 },
        };
        var outcomes = grid.Expand(Config).Select(p => SweepOutcome.From(p, ToyGossip.Run(p.Config))).ToArray();
        foreach (var fanout in new[] { 2, 3 })
        {
            var clean = outcomes.Single(o => o.Fanout == fanout && o.AdversaryFraction == 0).Summary;
            var attacked = outcomes.Single(o => o.Fanout == fanout && o.AdversaryFraction == 0.5).Summary;
            Assert.True(attacked.MeanReach < clean.MeanReach, $"fanout {fanout}: {attacked.MeanReach} vs {clean.MeanReach}");
            Assert.True(attacked.EarningsByHonesty.Single(g => !g.Honest).Peers > 0);
        }
        var outFolder = Environment.GetEnvironmentVariable("SG_SIM_DEMO_OUT");
        if (outFolder is null) return;
        // Set SG_SIM_DEMO_OUT to look at the files a run produces.
        var silentRun = Config with { Attacks = new([new Attack { Kind = AttackKind.Silent, Fraction = 0.2 }]) };
        SimulationOutput.WriteAll(outFolder, silentRun, ToyGossip.Run(silentRun));
        SweepPlot.Write(outcomes, SweepMetric.MeanCoverage, Path.Combine(outFolder, "sweep.png"), PlotFormat.Png);
        SweepCsv.Write(outcomes, Path.Combine(outFolder, SweepCsv.FileName));
    }
}
