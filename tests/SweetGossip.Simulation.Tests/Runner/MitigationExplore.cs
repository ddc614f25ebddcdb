using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Runner;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Topology;
using Xunit.Abstractions;

namespace SweetGossip.Simulation.Tests.Runner;

public sealed class MitigationExplore(ITestOutputHelper output)
{
    [Theory]
    [InlineData("Silent")]
    [InlineData("Chatterbox")]
    [InlineData("Eclipse")]
    [InlineData("Censorship")]
    [InlineData("ColdBoot")]
    [InlineData("Flash")]
    [InlineData("CovertFlash")]
    [InlineData("FreeRider")]
    public void Explore(string kind)
    {
        var city = new SimulationConfig
        {
            Seed = 5, DurationSeconds = 180, Fanout = 3, DifficultyBits = 4, Hops = 10, Topology = TopologySpec.RandomRegular(6),
            Taxi = new TaxiScenario { Peers = 150, DriverFraction = 0.3, RiderTopicsPerMinute = 8, DriverAreaPrecision = 4 },
        };
        var k = Enum.Parse<AttackKind>(kind);
        var attack = new Attack
        {
            Kind = k, Fraction = 0.2, StartSeconds = k is AttackKind.Flash or AttackKind.CovertFlash or AttackKind.ColdBoot ? 30 : 0,
            TargetNode = k is AttackKind.Eclipse or AttackKind.Censorship ? 0 : null,
            IdentitiesPerAttacker = new Attack { Kind = k, Fraction = 0 }.UsesSybils ? 4 : null,
            CovertPeriodSeconds = k == AttackKind.CovertFlash ? 30 : null,
        };
        var attacked = city with { Attacks = new ValueList<Attack>([attack]) };
        foreach (var (name, m) in new[]
                 {
                     ("all on", Mitigations.AllOn), ("scoring off", new Mitigations { Scoring = false }),
                     ("difficulty off", new Mitigations { DifficultyRaise = false }), ("peer rate off", new Mitigations { PeerRate = false }),
                     ("spend off", new Mitigations { SpendLimit = false }), ("limits off", new Mitigations { FavourAndReplyLimits = false }),
                 })
        {
            var run = SimulationRunner.Run(attacked with { Mitigations = m });
            var r = run.Results;
            var n = attacked.PeerCount;
            var honest = r.Peers.Where(p => p.Node < n && p.Honest).ToArray();
            var dishonest = r.Peers.Where(p => !p.Honest).ToArray();
            var honestSet = honest.Select(p => p.Node).ToHashSet();
            long possible = r.Topics.Sum(t => honest.Length - (honestSet.Contains(t.Origin) ? 1 : 0));
            var delivery = honest.Sum(p => (long)p.TopicsReceived) / (double)possible;
            var target = r.Topics.Where(t => t.Origin == 0).Select(t => t.Reach).DefaultIfEmpty(double.NaN).Average();
            output.WriteLine($"{kind,-11} {name,-15} delivery {delivery:0.0000} target {target:0.000} net honest {honest.Average(p => p.NetMsat) / 1000:0.0} dishonest {(dishonest.Length > 0 ? dishonest.Average(p => p.NetMsat) / 1000 : 0):0.0} dup/honest {honest.Average(p => p.DuplicatesReceived):0.0} frames {run.Summary.Frames} powDis {(dishonest.Length > 0 ? dishonest.Average(p => p.PowHashes) : 0):0} powHon {honest.Average(p => p.PowHashes):0} replies {run.Summary.RepliesDelivered}");
        }
    }
}
