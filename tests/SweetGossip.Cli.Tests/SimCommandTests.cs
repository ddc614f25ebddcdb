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
        Assert.True(File.Exists(Path.Combine(PathOf("sweep"), "sweep-fanout-hopsto99.png")));
    }

    [Fact]
    public void Sweep_from_runs_tables_and_plots_finished_run_folders_fanout_against_announce()
    {
        File.WriteAllText(PathOf("city.json"), SmallCity);
        Ok("sim", "--config", PathOf("city.json"), "--out", PathOf("f3"), "--no-progress");
        Ok("sim", "--config", PathOf("city.json"), "--dissemination", "announce", "--out", PathOf("announce"), "--no-progress");
        Ok("sim", "sweep", "--from-runs", PathOf("f3") + "," + PathOf("announce"), "--out", PathOf("sweep"));

        var rows = File.ReadAllLines(Path.Combine(PathOf("sweep"), "sweep.csv"));
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("3,", rows[1]);
        Assert.Contains(",Fanout,", rows[1]);
        Assert.Contains(",Announce,", rows[2]);
        Assert.True(File.Exists(Path.Combine(PathOf("sweep"), "sweep-fanout-bytesperpeerpertopic.png")));
        Assert.Contains(PathOf("missing"), AssertOneLineError(Run("sim", "sweep", "--from-runs", PathOf("missing"), "--out", PathOf("x"))));
    }

    [Fact]
    public void Sim_json_and_run_json_name_kinds_roles_and_honesty_instead_of_numbering_them()
    {
        File.WriteAllText(PathOf("city.json"), SmallCity);
        var result = Ok("sim", "--config", PathOf("city.json"), "--out", PathOf("out"), "--json");
        var summary = result.Json().GetProperty("summary");
        Assert.Equal("AskForFavour", summary.GetProperty("frames_by_kind")[0].GetProperty("kind").GetString());
        Assert.Equal(new[] { "Originator", "Middleman", "Replier", "Favour" }, summary.GetProperty("earnings_by_role").EnumerateArray().Select(r => r.GetProperty("role").GetString()!).ToArray());
        Assert.DoesNotContain("\\u", result.Out);

        // Files read back: summary.json (camelCase) and peers.csv name them too.
        using var written = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(PathOf("out"), "summary.json")));
        Assert.Equal("Middleman", written.RootElement.GetProperty("earningsByRole")[1].GetProperty("role").GetString());
        Assert.Equal("Broadcast", written.RootElement.GetProperty("framesByKind")[2].GetProperty("kind").GetString());
        var peers = File.ReadAllLines(Path.Combine(PathOf("out"), "peers.csv"));
        Assert.All(peers.Skip(1), line => Assert.Matches("^[0-9]+,(Rider|Driver),(true|false),", line));
        using var run = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(PathOf("out"), "run.json")));
        Assert.True(run.RootElement.GetProperty("conserved").GetBoolean());
    }

    [Fact]
    public void Json_output_writes_offsets_and_plus_signs_as_they_are()
    {
        var result = Ok("topic", "taxi", "--lat", "-33.8647", "--lon", "151.2096", "--after", "2099-01-01T10:00:00+00:00", "--before", "2099-01-01T11:00:00+00:00", "--json");
        Assert.Contains("+00:00", result.Out);
        Assert.DoesNotContain("\\u002B", result.Out);
    }

    [Fact]
    public void Sim_writes_peer_events_always_and_a_trace_with_trace()
    {
        File.WriteAllText(PathOf("city.json"), SmallCity.Replace("\"seed\": 4,", "\"seed\": 4, \"churn\": { \"offlinePerHour\": 30, \"onlinePerHour\": 60 },", StringComparison.Ordinal));
        Ok("sim", "--config", PathOf("city.json"), "--out", PathOf("out"), "--no-progress", "--trace", "--trace-limit", "500");
        var events = File.ReadAllLines(Path.Combine(PathOf("out"), "peer-events.csv"));
        Assert.Equal("time_s,node,peer,event,cause,value", events[0]);
        Assert.Contains(events, l => l.Contains(",,Offline,", StringComparison.Ordinal));
        var trace = File.ReadAllLines(Path.Combine(PathOf("out"), "trace.jsonl"));
        Assert.Equal(500, trace.Length);
        using var first = System.Text.Json.JsonDocument.Parse(trace[0]);
        Assert.Equal("Frame", first.RootElement.GetProperty("event").GetString());
        Assert.Contains("--trace", AssertOneLineError(Run("sim", "--peers", "10", "--out", PathOf("x"), "--trace-limit", "5")));
    }

    [Fact]
    public void Sim_runs_the_jobs_scenario_and_compare_puts_two_runs_side_by_side()
    {
        File.WriteAllText(PathOf("city.json"), SmallCity);
        Ok("sim", "--config", PathOf("city.json"), "--out", PathOf("taxi"), "--no-progress");
        var jobs = Ok("sim", "--scenario", "jobs", "--peers", "40", "--duration", "90", "--difficulty", "4", "--out", PathOf("jobs"), "--no-progress");
        Assert.Contains(jobs.OutLines, l => l.StartsWith("peers 40 (40 honest)", StringComparison.Ordinal));
        Assert.Contains(",Worker,", File.ReadAllText(Path.Combine(PathOf("jobs"), "peers.csv")));

        var compare = Ok("sim", "compare", PathOf("taxi"), PathOf("jobs"), "--out", PathOf("cmp"), "--format", "svg");
        Assert.StartsWith("compared ", compare.OutLines[0]);
        var csv = File.ReadAllLines(Path.Combine(PathOf("cmp"), "compare.csv"));
        Assert.Equal("metric,a,b,difference,ratio", csv[0]);
        Assert.Contains(csv, l => l.StartsWith("peers,40,40,0,1", StringComparison.Ordinal));
        Assert.Contains(csv, l => l.StartsWith("framesByKind[kind=Broadcast].frames,", StringComparison.Ordinal));
        Assert.Contains("| meanCoverage |", File.ReadAllText(Path.Combine(PathOf("cmp"), "compare.md")));
        foreach (var plot in new[] { "compare-coverage.svg", "compare-redundancy.svg", "compare-traffic.svg" })
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(PathOf("cmp"), plot)));

        Assert.Contains("summary.json", AssertOneLineError(Run("sim", "compare", PathOf("taxi"), PathOf("cmp"), "--out", PathOf("cmp2"))));
        Assert.Contains("--scenario", AssertOneLineError(Run("sim", "--scenario", "boats", "--peers", "10")));
    }
}
