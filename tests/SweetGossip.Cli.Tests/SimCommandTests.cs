namespace SweetGossip.Cli.Tests;

public sealed class SimCommandTests : CliTestBase
{
    private const string SmallCity = """
        {
          "seed": 4, "durationSeconds": 90, "fanout": 3, "difficultyBits": 4, "hops": 10,
          "topology": { "kind": "randomRegular", "degree": 4 },
          "taxi": { "peers": 40, "driverFraction": 0.3, "riderTopicsPerMinute": 4, "driverAreaPrecision": 4 }
        }
        """;

    [Fact]
    public void Sim_runs_a_city_prints_a_summary_and_writes_the_results_folder()
    {
        File.WriteAllText(PathOf("city.json"), SmallCity);
        var result = Ok("sim", "--config", PathOf("city.json"), "--out", PathOf("out"), "--no-progress");

        Assert.Contains(result.OutLines, l => l.StartsWith("peers 40 (40 honest)", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.StartsWith("money conserved: yes", StringComparison.Ordinal));
        foreach (var file in new[] { "config.json", "summary.json", "report.md", "peers.csv", "topics.csv", "coverage.csv", "coverage.png", "run.json" })
            Assert.True(File.Exists(Path.Combine(PathOf("out"), file)), file);
        Assert.Equal(41, File.ReadAllLines(Path.Combine(PathOf("out"), "peers.csv")).Length);
    }

    [Fact]
    public void Sim_json_gives_the_same_numbers_for_the_same_seed()
    {
        File.WriteAllText(PathOf("city.json"), SmallCity);
        var first = Ok("sim", "--config", PathOf("city.json"), "--out", PathOf("a"), "--json").Json().GetProperty("summary").GetRawText();
        var second = Ok("sim", "--config", PathOf("city.json"), "--out", PathOf("b"), "--json").Json().GetProperty("summary").GetRawText();
        Assert.Equal(first, second);
        Assert.Equal(File.ReadAllText(Path.Combine(PathOf("a"), "topics.csv")), File.ReadAllText(Path.Combine(PathOf("b"), "topics.csv")));
    }

    [Fact]
    public void A_bad_scenario_is_one_line_naming_the_field()
    {
        File.WriteAllText(PathOf("bad.json"), """{ "fanout": 0 }""");
        Assert.Contains("fanout", AssertOneLineError(Run("sim", "--config", PathOf("bad.json"), "--out", PathOf("out"))));
        Assert.Contains("no such file", AssertOneLineError(Run("sim", "--config", PathOf("missing.json"))));
        Assert.Contains("--format", AssertOneLineError(Run("sim", "--format", "gif", "--peers", "10")));
    }

    [Fact]
    public void Sweep_runs_the_grid_and_writes_its_table_and_plots()
    {
        File.WriteAllText(PathOf("city.json"), SmallCity);
        File.WriteAllText(PathOf("grid.json"), """{ "fanouts": [2, 3], "difficultyBits": [4], "adversaryFractions": [0, 0.2], "attack": { "kind": "silent", "fraction": 0 } }""");
        var result = Ok("sim", "sweep", "--config", PathOf("city.json"), "--grid", PathOf("grid.json"), "--out", PathOf("sweep"));

        Assert.Equal(4, result.OutLines.Count(l => l.StartsWith("fanout ", StringComparison.Ordinal)));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(PathOf("sweep"), "sweep.csv")).Length);
        Assert.True(File.Exists(Path.Combine(PathOf("sweep"), "sweep-meancoverage.png")));
    }
}
