using SweetGossip.Node.Core;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Output;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Sweep;
using SweetGossip.Simulation.Tests.Metrics;
using SweetGossip.Simulation.Tests.Support;

namespace SweetGossip.Simulation.Tests.Sweep;

public class SweepTests
{
    private static readonly SweepGrid Grid = new()
    {
        Fanouts = new([2, 4]),
        DifficultyBits = new([8, 12]),
        AdversaryFractions = new([0, 0.25]),
        Attack = new Attack { Kind = AttackKind.CovertFlash, Fraction = 0, CovertPeriodSeconds = 60 },
        Replicates = 2,
    };

    [Fact]
    public void A_grid_expands_to_every_combination_with_shared_seeds_per_replicate()
    {
        var baseConfig = new SimulationConfig { Seed = 99 };
        var points = Grid.Expand(baseConfig);
        Assert.Equal(16, points.Count);
        Assert.Equal(Enumerable.Range(0, 16), points.Select(p => p.Index));
        Assert.Equal((2, 8, 0.0, 0), (points[0].Fanout, points[0].DifficultyBits, points[0].AdversaryFraction, points[0].Replicate));
        Assert.Equal((4, 12, 0.25, 1), (points[15].Fanout, points[15].DifficultyBits, points[15].AdversaryFraction, points[15].Replicate));

        Assert.All(points.Where(p => p.Replicate == 0), p => Assert.Equal(99, p.Config.Seed));
        Assert.Single(points.Where(p => p.Replicate == 1).Select(p => p.Config.Seed).Distinct());
        Assert.NotEqual(99, points.First(p => p.Replicate == 1).Config.Seed);

        var attacked = points.First(p => p.AdversaryFraction > 0).Config;
        Assert.Equal(new Attack { Kind = AttackKind.CovertFlash, Fraction = 0.25, CovertPeriodSeconds = 60 }, attacked.Attacks.Single());
        Assert.Empty(points[0].Config.Attacks);
        Assert.Equal(Grid.Expand(baseConfig), points);
    }

    [Fact]
    public void A_grid_round_trips_through_JSON_and_bad_grids_name_the_field()
    {
        Assert.Equal(Grid, SweepGridJson.Parse(SweepGridJson.Serialize(Grid)));
        var e = Assert.Throws<SimulationConfigException>(() => SweepGridJson.Parse("""{ "fanouts": [3, 0], "replicates": 0 }"""));
        Assert.Contains(e.Errors, x => x.Field == "fanouts[1]");
        Assert.Contains(e.Errors, x => x.Field == "replicates");

        var bad = Grid with { Attack = new Attack { Kind = AttackKind.Eclipse, Fraction = 0 } };
        var invalid = Assert.Throws<SimulationConfigException>(() => bad.Expand(new SimulationConfig()));
        Assert.Contains(invalid.Errors, x => x.Field == "attacks[0].targetNode");
    }

    [Fact]
    public void Outcomes_are_written_as_csv_and_plotted()
    {
        var results = EventStream.Run(EventStream.Events());
        var points = Grid.Expand(new SimulationConfig());
        var outcomes = points.Select(p => SweepOutcome.From(p, results)).ToArray();

        var writer = new StringWriter();
        SweepCsv.Write(outcomes, writer);
        var lines = writer.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(17, lines.Length);
        Assert.StartsWith("fanout,difficulty_bits,adversary_fraction,attack,replicate,seed,topics,mean_coverage,mean_reach,p50_topics,p50_mean_s,p50_mean_hops,", lines[0]);
        Assert.StartsWith("2,8,0,,0,1,2,0.875,", lines[1]);
        // The attack by name where adversaries are in the run.
        Assert.Contains(lines.Skip(1), l => l.Split(',')[2] != "0" && l.Split(',')[3] == Grid.Attack.Kind.ToString());

        Assert.Equal(0.5, SweepMetrics.Value(outcomes[0].Summary, SweepMetric.TopicsReaching90));
        using var folder = new TempFolder();
        foreach (var format in new[] { PlotFormat.Png, PlotFormat.Svg })
        {
            var path = folder.File("sweep" + (format == PlotFormat.Png ? ".png" : ".svg"));
            SweepPlot.Write(outcomes, SweepMetric.TopicsReaching90, path, format);
            Assert.True(new FileInfo(path).Length > 1000);
        }
        SweepCsv.Write(outcomes, folder.File(SweepCsv.FileName));
        Assert.Equal(writer.ToString(), File.ReadAllText(folder.File(SweepCsv.FileName)));
    }

    [Fact]
    public void Announce_has_no_fanout_so_a_grid_runs_it_once_per_difficulty_and_fraction_and_plots_it_against_fanout()
    {
        var grid = new SweepGrid { Disseminations = new([Dissemination.Fanout, Dissemination.Announce]), Fanouts = new([2, 3, 8]), AdversaryFractions = new([0]) };
        var points = grid.Expand(new SimulationConfig { Fanout = 3 });
        Assert.Equal(4, points.Count);
        Assert.Equal([Dissemination.Fanout, Dissemination.Fanout, Dissemination.Fanout, Dissemination.Announce], points.Select(p => p.Config.Dissemination));
        Assert.Equal([2, 3, 8], points.Take(3).Select(p => p.Config.Fanout));
        Assert.Equal(Dissemination.Announce, points[3].Dissemination);
        Assert.Equal(grid, SweepGridJson.Parse(SweepGridJson.Serialize(grid)));
        Assert.Contains(Assert.Throws<SimulationConfigException>(() => SweepGridJson.Parse("""{ "disseminations": [] }""")).Errors, x => x.Field == "disseminations");

        var results = EventStream.Run(EventStream.Events());
        var outcomes = points.Select(p => SweepOutcome.From(p, results)).ToArray();
        var writer = new StringWriter();
        SweepCsv.Write(outcomes, writer);
        var lines = writer.ToString().TrimEnd('\n').Split('\n');
        Assert.EndsWith(",dissemination,bytes_per_peer_per_topic", lines[0]);
        // Announce rows leave the fanout empty: it does not apply.
        Assert.StartsWith("2,", lines[1]);
        Assert.StartsWith(",8,", lines[4]);
        Assert.Contains(",Announce,", lines[4]);
        Assert.Equal(results.Totals.Bytes / (double)results.PeerCount / results.Topics.Count, SweepMetrics.Value(outcomes[0].Summary, SweepMetric.BytesPerPeerPerTopic)!.Value, 6);

        using var folder = new TempFolder();
        foreach (var metric in new[] { SweepMetric.CopiesPerPeer, SweepMetric.HopsTo99, SweepMetric.BytesPerPeerPerTopic, SweepMetric.MeanCoverage })
        {
            var path = folder.File("fanout-" + metric + ".png");
            SweepFanoutPlot.Write(outcomes, metric, path, PlotFormat.Png);
            Assert.True(new FileInfo(path).Length > 1000);
        }
    }

    [Fact]
    public void A_finished_run_folder_is_collected_as_the_same_outcome_a_sweep_makes()
    {
        var results = EventStream.Run(EventStream.Events());
        var config = new SimulationConfig { Seed = 4, Fanout = 6, Dissemination = Dissemination.Announce };
        using var folder = new TempFolder();
        SimulationOutput.WriteAll(folder.Path, config, results, PlotFormat.Svg);

        var collected = SweepOutcome.FromRunFolder(folder.Path);
        var made = SweepOutcome.From(new SweepPoint(0, 6, config.DifficultyBits, 0, 0, config, Dissemination.Announce), results);
        Assert.Equal(SummaryJson.Serialize(made.Summary), SummaryJson.Serialize(collected.Summary));
        Assert.Equal(made with { Summary = collected.Summary }, collected);
    }
}
