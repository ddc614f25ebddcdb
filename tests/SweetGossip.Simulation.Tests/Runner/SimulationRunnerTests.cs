using SweetGossip.Simulation.Runner;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Topology;
using Xunit;
using Xunit.Abstractions;

namespace SweetGossip.Simulation.Tests.Runner;

public sealed class SimulationRunnerTests(ITestOutputHelper output)
{
    private static SimulationConfig Small(long seed = 11) => new()
    {
        Seed = seed,
        DurationSeconds = 120,
        Fanout = 3,
        DifficultyBits = 4,
        Hops = 10,
        Topology = TopologySpec.RandomRegular(4),
        Taxi = new TaxiScenario { Peers = 60, DriverFraction = 0.3, RiderTopicsPerMinute = 3, DriverAreaPrecision = 4 },
    };

    [Fact]
    public void A_small_taxi_city_runs_the_whole_protocol()
    {
        var run = SimulationRunner.Run(Small());
        var s = run.Summary;
        output.WriteLine($"topics {s.Topics} coverage {s.MeanCoverage} replies {s.RepliesDelivered} frames {s.Frames} pow {s.PowHashes} wall {run.Statistics.WallTime} items {run.Statistics.WorkItems} foreign {run.Statistics.ForeignWorkItems} money {run.Money}");
        Assert.True(s.Topics > 0);
        Assert.Equal(0, run.Statistics.ForeignWorkItems);
        Assert.True(s.RepliesDelivered > 0);
        Assert.True(run.Money.Conserved, run.Money.ToString());
    }
}
