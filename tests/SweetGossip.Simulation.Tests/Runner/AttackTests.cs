using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Runner;
using SweetGossip.Simulation.Scenario;
using Xunit.Abstractions;

namespace SweetGossip.Simulation.Tests.Runner;

/// <summary>The same small city run honest and under each of the whitepaper's attacks: every attack changes what happens.</summary>
public sealed class AttackTests(AttackTests.Baseline baseline, ITestOutputHelper output) : IClassFixture<AttackTests.Baseline>
{
    public sealed class Baseline
    {
        public Baseline()
        {
            var city = SimulationRunnerTests.SmallCity(seed: 21);
            Config = city with { DurationSeconds = 180, Taxi = city.Taxi with { RiderTopicsPerMinute = 6 } };
            Target = TopicSchedule.Generate(Config, TaxiPopulation.Generate(Config))[0].Origin;
            Run = SimulationRunner.Run(Config);
        }

        public SimulationConfig Config { get; }

        /// <summary>The rider who asks first: the victim of eclipse and censorship.</summary>
        public int Target { get; }

        public SimulationRun Run { get; }
    }

    private SimulationRun Attacked(Attack attack)
    {
        var run = SimulationRunner.Run(baseline.Config with { Attacks = new ValueList<Attack>([attack]) });
        var (b, a) = (baseline.Run.Summary, run.Summary);
        output.WriteLine($"baseline: coverage {b.MeanCoverage:0.000} replies {b.RepliesDelivered} frames {b.Frames} identities {baseline.Run.Statistics.Identities}");
        output.WriteLine($"{attack.Kind,-12}: coverage {a.MeanCoverage:0.000} replies {a.RepliesDelivered} frames {a.Frames} identities {run.Statistics.Identities} duplicates {run.Results.Totals.Duplicates}");
        Assert.Equal(0, run.Statistics.ForeignWorkItems);
        Assert.True(run.Money.Conserved, run.Money.ToString());
        Assert.NotEqual(baseline.Run.Results, run.Results);
        return run;
    }

    private double CoverageOfTarget(SimulationRun run) =>
        run.Results.Topics.Where(t => t.Origin == baseline.Target).Average(t => t.Reach);

    [Fact]
    public void The_honest_baseline_covers_almost_everyone_and_gets_replies()
    {
        Assert.True(baseline.Run.Summary.MeanCoverage > 0.9);
        Assert.True(baseline.Run.Summary.RepliesDelivered > 0);
        Assert.Contains(baseline.Run.Results.Topics, t => t.Origin == baseline.Target);
    }

    [Fact]
    public void Silent_peers_lower_coverage()
    {
        var run = Attacked(new Attack { Kind = AttackKind.Silent, Fraction = 0.3 });
        Assert.True(run.Summary.MeanCoverage < baseline.Run.Summary.MeanCoverage);
    }

    [Fact]
    public void Chatterboxes_repeat_topics_and_honest_peers_see_more_duplicates()
    {
        var run = Attacked(new Attack { Kind = AttackKind.Chatterbox, Fraction = 0.2, RepeatsPerTopic = 3, RepeatIntervalSeconds = 2 });
        Assert.True(run.Results.Totals.Duplicates > baseline.Run.Results.Totals.Duplicates);
        Assert.True(Frames(run, FrameKind.AskForFavour) > Frames(baseline.Run, FrameKind.AskForFavour));
    }

    [Fact]
    public void Sybils_join_with_extra_identities_that_drop_everything()
    {
        var run = Attacked(new Attack { Kind = AttackKind.Sybil, Fraction = 0.2, IdentitiesPerAttacker = 3 });
        Assert.Equal(baseline.Config.PeerCount + 12 * 2, run.Statistics.Identities);
        Assert.True(run.Summary.MeanCoverage < baseline.Run.Summary.MeanCoverage);
    }

    [Fact]
    public void An_eclipse_cuts_the_target_off()
    {
        var run = Attacked(new Attack { Kind = AttackKind.Eclipse, Fraction = 0.2, TargetNode = baseline.Target, IdentitiesPerAttacker = 2 });
        Assert.True(CoverageOfTarget(run) < CoverageOfTarget(baseline.Run));
    }

    [Fact]
    public void Censors_drop_the_target_s_topics_only()
    {
        var run = Attacked(new Attack { Kind = AttackKind.Censorship, Fraction = 0.2, TargetNode = baseline.Target, IdentitiesPerAttacker = 2 });
        Assert.True(CoverageOfTarget(run) < CoverageOfTarget(baseline.Run));
        var others = run.Results.Topics.Where(t => t.Origin != baseline.Target).Average(t => t.Reach);
        Assert.True(others > CoverageOfTarget(run), $"other topics {others}, target's {CoverageOfTarget(run)}");
    }

    [Fact]
    public void A_cold_boot_attack_behaves_while_the_network_forms_then_drops()
    {
        AssertReachFallsAt(Attacked(new Attack { Kind = AttackKind.ColdBoot, Fraction = 0.3, StartSeconds = 60 }), 60);
    }

    [Fact]
    public void A_flash_attack_joins_at_its_start_and_drops_at_once()
    {
        var run = Attacked(new Attack { Kind = AttackKind.Flash, Fraction = 0.2, StartSeconds = 60, IdentitiesPerAttacker = 3 });
        Assert.Equal(baseline.Config.PeerCount + 12 * 2, run.Statistics.Identities);
        Assert.True(run.Summary.MeanCoverage < baseline.Run.Summary.MeanCoverage);
    }

    [Fact]
    public void A_covert_flash_behaves_for_its_covert_period_first()
    {
        AssertReachFallsAt(Attacked(new Attack { Kind = AttackKind.CovertFlash, Fraction = 0.3, StartSeconds = 30, CovertPeriodSeconds = 60, IdentitiesPerAttacker = 2 }), 90);
    }

    [Fact]
    public void Free_riders_never_pay_for_replies()
    {
        var run = Attacked(new Attack { Kind = AttackKind.FreeRider, Fraction = 0.3 });
        var riders = run.Results.Peers.Where(p => !p.Honest).ToArray();
        Assert.All(riders, p => Assert.Equal(0, p.Paid.TotalMsat));
        Assert.True(run.Summary.RepliesDelivered < baseline.Run.Summary.RepliesDelivered);
    }

    /// <summary>Topics asked after <paramref name="seconds"/> (when the attackers turn) reach fewer peers than those before.</summary>
    private static void AssertReachFallsAt(SimulationRun run, double seconds)
    {
        var before = run.Results.Topics.Where(t => t.OriginTimeSeconds < seconds).ToArray();
        var after = run.Results.Topics.Where(t => t.OriginTimeSeconds >= seconds).ToArray();
        Assert.NotEmpty(before);
        Assert.NotEmpty(after);
        Assert.True(after.Average(t => t.Reach) < before.Average(t => t.Reach));
    }

    private static long Frames(SimulationRun run, FrameKind kind) => run.Results.FramesByKind.Single(f => f.Kind == kind).Frames;

    [Fact]
    public void Peers_going_offline_and_links_dropping_cost_coverage_and_repeat_exactly()
    {
        var churn = baseline.Config with { Churn = new Churn { OfflinePerHour = 60, OnlinePerHour = 60, LinkDropPerHour = 30, RelinkSeconds = 20 } };
        var run = SimulationRunner.Run(churn);
        var again = SimulationRunner.Run(churn);
        output.WriteLine($"churn: coverage {run.Summary.MeanCoverage:0.000} replies {run.Summary.RepliesDelivered} events {run.Statistics.ChurnEvents}");
        Assert.True(run.Statistics.ChurnEvents > 0);
        Assert.True(run.Summary.MeanCoverage < baseline.Run.Summary.MeanCoverage);
        Assert.True(run.Money.Conserved, run.Money.ToString());
        Assert.Equal(run.Results, again.Results);
    }
}
