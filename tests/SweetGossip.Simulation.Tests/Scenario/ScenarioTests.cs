using SweetGossip.Simulation.Output;
using SweetGossip.Simulation.Runner;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Tests.Support;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Tests.Scenario;

/// <summary>The scenario is a parameter: taxi gives what it gave before it was one, and a second one (jobs) runs too.</summary>
public sealed class ScenarioTests
{
    private static readonly string[] ResultFiles = ["config.json", "summary.json", "peers.csv", "topics.csv", "coverage.csv", "traffic.csv", "redundancy.csv", "earnings.csv"];

    /// <summary>The config of the golden files in Scenario/Golden/taxi-seed7, written by the runner before the scenario was a parameter.</summary>
    private static SimulationConfig GoldenCity => new()
    {
        Seed = 7, DurationSeconds = 60, Fanout = 3, DifficultyBits = 4, Hops = 8,
        Topology = TopologySpec.RandomRegular(4),
        Taxi = new TaxiScenario { Peers = 40, DriverFraction = 0.3, RiderTopicsPerMinute = 6, DriverAreaPrecision = 4 },
    };

    private static SimulationConfig Jobs(long seed = 5) => new()
    {
        Seed = seed, DurationSeconds = 90, Fanout = 3, DifficultyBits = 4, Hops = 10,
        Topology = TopologySpec.RandomRegular(4),
        Scenario = ScenarioKind.Jobs,
        Jobs = new JobsScenario { Peers = 60, WorkerFraction = 0.3, Categories = 4, CategoriesPerWorker = 1, JobsPerMinute = 8 },
    };

    [Fact]
    public void The_taxi_scenario_writes_the_same_files_as_before_the_scenario_was_a_parameter()
    {
        using var folder = new TempFolder();
        var config = GoldenCity;
        SimulationOutput.WriteAll(folder.Path, config, SimulationRunner.Run(config).Results, PlotFormat.Svg);
        var golden = Path.Combine(AppContext.BaseDirectory, "Scenario", "Golden", "taxi-seed7");
        foreach (var name in ResultFiles)
            Assert.True(File.ReadAllText(Path.Combine(golden, name)) == File.ReadAllText(folder.File(name)), $"{name} differs from the golden file");
    }

    [Fact]
    public void The_jobs_scenario_reaches_workers_and_they_reply()
    {
        var config = Jobs();
        var run = SimulationRunner.Run(config);
        Assert.True(run.Summary.Topics >= 5, $"only {run.Summary.Topics} jobs");
        Assert.True(run.Summary.MeanCoverage > 0.5, $"coverage {run.Summary.MeanCoverage}");
        Assert.True(run.Summary.RepliesDelivered > 0, "no worker replied");
        Assert.True(run.Money.Conserved, run.Money.ToString());
        Assert.Contains(run.Results.Peers, p => p.Kind == PeerKind.Worker);
        Assert.Contains(run.Results.Peers, p => p.Kind == PeerKind.Client);
        Assert.DoesNotContain(run.Results.Peers, p => p.Kind is PeerKind.Rider or PeerKind.Driver);
        // Only workers are paid as repliers.
        Assert.All(run.Results.Peers.Where(p => p.Earned.ReplierMsat > 0), p => Assert.Equal(PeerKind.Worker, p.Kind));

        using var folder = new TempFolder();
        SimulationOutput.WriteAll(folder.Path, config, run.Results, PlotFormat.Svg);
        Assert.Equal(config, SimulationConfigJson.Read(folder.File("config.json")));
        Assert.Contains("\"scenario\": \"Jobs\"", File.ReadAllText(folder.File("config.json")));
        Assert.Contains(",Worker,", File.ReadAllText(folder.File("peers.csv")));
    }

    [Fact]
    public void A_jobs_run_repeats_for_a_seed_and_on_several_threads()
    {
        var config = Jobs(9);
        var one = SimulationRunner.Run(config, new SimulationRunOptions { Threads = 1 });
        var two = SimulationRunner.Run(config, new SimulationRunOptions { Threads = 2 });
        Assert.True(one.Summary.Topics > 0);
        Assert.Equal(SummaryJson.Serialize(one.Summary), SummaryJson.Serialize(two.Summary));
    }

    [Fact]
    public void Jobs_settings_are_checked_and_only_allowed_with_the_jobs_scenario()
    {
        var errors = SimulationConfigValidator.Validate(Jobs() with { Jobs = new JobsScenario { Categories = 0, CategoriesPerWorker = 0 } });
        Assert.Contains(errors, e => e.Field == "jobs.categories");
        Assert.Contains(errors, e => e.Field == "jobs.categoriesPerWorker");
        Assert.Contains(SimulationConfigValidator.Validate(GoldenCity with { Jobs = new JobsScenario() }), e => e.Field == "jobs");
        var parsed = SimulationConfigJson.Parse("""{ "scenario": "jobs", "jobs": { "peers": 12, "categories": 3 } }""");
        Assert.Equal((ScenarioKind.Jobs, 12, 3), (parsed.Scenario, parsed.PeerCount, parsed.JobsSettings.Categories));
    }

    [Fact]
    public void Every_worker_serves_its_share_of_categories_and_categories_are_uniform()
    {
        var config = Jobs() with { Jobs = new JobsScenario { Peers = 2000, WorkerFraction = 0.5, Categories = 8, CategoriesPerWorker = 2, JobsPerMinute = 600 }, DurationSeconds = 600 };
        var population = JobsPopulation.Generate(config);
        Assert.Equal(1000, population.Kinds.Count(k => k == PeerKind.Worker));
        Assert.All(population.CategoriesOf.Where(c => c is not null), c => Assert.Equal(2, c!.Distinct().Count()));
        // 2000 interests over 8 categories: about 250 each.
        for (var c = 0; c < 8; c++) Assert.InRange(population.InterestedWorkers(c).Count, 180, 320);
        var jobs = JobSchedule.Generate(config, population);
        Assert.InRange(jobs.Count, 5000, 7000);
        Assert.All(jobs, j => Assert.Equal(PeerKind.Client, population.Kinds[j.Origin]));
        foreach (var g in jobs.GroupBy(j => j.Category)) Assert.InRange(g.Count(), jobs.Count / 8 * 0.8, jobs.Count / 8 * 1.2);
    }
}
