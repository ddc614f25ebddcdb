using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SweetGossip.Simulation.Compare;
using SweetGossip.Simulation.Output;
using SweetGossip.Simulation.Runner;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Sweep;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Cli.Commands;

/// <summary>
/// `sgossip sim`: a whole network of nodes (the node's own actors) in this process, on virtual time, under
/// a scenario; prints a summary and writes CSV, JSON, plots and a report. `sgossip sim sweep`: a grid of runs.
/// </summary>
internal static class SimCommands
{
    public static Command Build()
    {
        var config = Options.Optional<FileInfo>("--config", "Scenario JSON (see docs/simulation.md); options below override it");
        var output = Options.WithDefault("--out", "Folder for the results", "sim-out");
        var peers = Options.Optional<int?>("--peers", "Number of peers (default 1000)");
        var seed = Options.Optional<long?>("--seed", "Seed: the same seed and config give the same results");
        var duration = Options.Optional<double?>("--duration", "Simulated seconds during which riders ask for rides (default 600)");
        var fanout = Options.Optional<int?>("--fanout", "Peers each node passes a topic to");
        var difficulty = Options.Optional<int?>("--difficulty", "Base PoW difficulty in leading zero bits");
        var hops = Options.Optional<int?>("--hops", "hops_remaining a topic starts with (at most 32)");
        var dissemination = Options.Optional<string?>("--dissemination", "How nodes pass a topic on: fanout (asks to --fanout peers) or announce (docs/protocol.md D24)");
        var format = Options.WithDefault("--format", "Plot format: png or svg", "png");
        var logLevel = Options.WithDefault("--log-level", "Akka log level of the simulated nodes: off, error, warning, info", "off");
        var noProgress = Options.Optional<bool>("--no-progress", "No progress bar");
        var threads = Options.Optional<int?>("--threads", "Run partitioned on this many threads (same results for any count; without it, the single-threaded model)");
        var lookahead = Options.Optional<double?>("--lookahead-ms", "With --threads: floor of every link latency and width of the lock-step windows (default 5)");
        var trace = Options.Optional<bool>("--trace", "Also write trace.jsonl: every frame and topic receipt (time, from, to, kind, bytes / payload id), streamed");
        var traceLimit = Options.Optional<long?>("--trace-limit", "With --trace: most lines written (default 10,000,000); past it lines are only counted");
        var banLooks = Options.Optional<double?>("--ban-look-seconds", "How often the nodes' score books are read for bans in peer-events.csv (default 5)");
        var scenarioKind = Options.Optional<string?>("--scenario", "What the peers run: taxi (riders and drivers in a city, default) or jobs (generic jobs, uniform interest)");

        var command = Options.Command("sim", "Simulate a network of peers in this process (1,000-peer taxi city by default)",
            config, output, peers, seed, duration, fanout, difficulty, hops, dissemination, format, logLevel, noProgress, threads, lookahead, scenarioKind, trace, traceLimit, banLooks);
        command.SetAction((parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var loaded = WithScenario(LoadConfig(parse.GetValue(config)), parse.GetValue(scenarioKind));
            if (parse.GetValue(dissemination) is { } mode) loaded = loaded with { Dissemination = ParseDissemination(mode) };
            var scenario = Override(loaded, parse.GetValue(peers), parse.GetValue(seed), parse.GetValue(duration), parse.GetValue(fanout), parse.GetValue(difficulty), parse.GetValue(hops));
            var plots = ParseFormat(parse.GetValue(format)!);
            var folder = parse.GetValue(output)!;
            var how = Recording(RunOptions(LogLevel(parse.GetValue(logLevel)!), parse.GetValue(threads), parse.GetValue(lookahead)), folder,
                parse.GetValue(trace), parse.GetValue(traceLimit), parse.GetValue(banLooks));
            var run = RunWithProgress(scenario, parse.GetValue(config)?.DirectoryName, how, ctx.Json || parse.GetValue(noProgress), cancel);
            var files = SimulationOutput.WriteAll(folder, scenario, run.Results, plots);
            File.WriteAllText(Path.Combine(folder, "run.json"), CliContext.ToJson(new { run.Money, Conserved = run.Money.Conserved, run.Statistics }) + "\n");
            ctx.Write(new { Folder = files.Folder, run.Summary, run.Money, run.Statistics }, [.. SummaryLines(run), $"results: {files.Folder} (report.md, summary.json, CSVs, peer-events.csv, plots{(how.TracePath is null ? "" : ", trace.jsonl")})"]);
            return Task.FromResult(run.Money.Conserved && run.Statistics.ForeignWorkItems == 0 ? 0 : 1);
        });
        command.Subcommands.Add(BuildSweep());
        command.Subcommands.Add(BuildCompare());
        return command;
    }

    private static Command BuildCompare()
    {
        var first = new Argument<string>("a") { Description = "First results folder (of sgossip sim)" };
        var second = new Argument<string>("b") { Description = "Second results folder" };
        var output = Options.WithDefault("--out", "Folder for compare.md, compare.csv and the overlaid plots", "sim-compare");
        var format = Options.WithDefault("--format", "Plot format: png or svg", "png");
        var command = Options.Command("compare", "Put two result folders side by side: a table of both summaries and overlaid plots", output, format);
        command.Arguments.Add(first);
        command.Arguments.Add(second);
        command.SetAction((parse, _) =>
        {
            var ctx = CliContext.From(parse);
            var plots = ParseFormat(parse.GetValue(format)!);
            ComparisonFiles files;
            try
            {
                files = ResultsComparison.Write(parse.GetValue(first)!, parse.GetValue(second)!, parse.GetValue(output)!, plots);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new CliException(e.Message);
            }
            ctx.Write(files, $"compared {files.Metrics} numbers: {files.Markdown}, {files.Csv}" + (files.Plots.Count > 0 ? $", {files.Plots.Count} plots" : ""));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The streamed files of a run, in its results folder: peer-events.csv always, trace.jsonl with --trace.</summary>
    private static SimulationRunOptions Recording(SimulationRunOptions options, string folder, bool trace, long? traceLimit, double? banLookSeconds)
    {
        if (traceLimit is { } limit && (!trace || limit < 0))
            throw new CliException(trace ? $"--trace-limit must not be negative, got {limit}" : "--trace-limit needs --trace");
        if (banLookSeconds is { } look && !(look >= 0.01 && look <= 3600))
            throw new CliException($"--ban-look-seconds must be 0.01 to 3600, got {look}");
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--out: cannot create {folder}: {e.Message}");
        }
        options = options with { PeerEventsPath = Path.Combine(folder, PeerEventsCsv.FileName) };
        if (banLookSeconds is { } seconds) options = options with { PeerEventInterval = TimeSpan.FromSeconds(seconds) };
        if (trace) options = options with { TracePath = Path.Combine(folder, FrameTrace.FileName), TraceMaxLines = traceLimit ?? options.TraceMaxLines };
        return options;
    }

    private static Command BuildSweep()
    {
        var config = Options.Optional<FileInfo>("--config", "Base scenario JSON; the grid varies dissemination, fanout, difficulty and adversary fraction");
        var grid = Options.Optional<FileInfo>("--grid", "Sweep grid JSON (disseminations, fanouts, difficultyBits, adversaryFractions, attack, replicates)");
        var output = Options.WithDefault("--out", "Folder for sweep.csv and the plots", "sim-sweep");
        var peers = Options.Optional<int?>("--peers", "Number of peers per run (default 200 for a sweep)");
        var duration = Options.Optional<double?>("--duration", "Simulated seconds per run (default 300 for a sweep)");
        var format = Options.WithDefault("--format", "Plot format: png or svg", "png");
        var fromRuns = Options.Optional<string?>("--from-runs", "Instead of running the grid: finished run folders (written by sgossip sim), comma-separated, to table and plot");
        var command = Options.Command("sweep", "Run a grid of simulations and plot how the results change", config, grid, output, peers, duration, format, fromRuns);
        command.SetAction((parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var baseConfig = LoadConfig(parse.GetValue(config));
            if (parse.GetValue(config) is null)
                baseConfig = baseConfig with { DurationSeconds = 300, Taxi = baseConfig.Taxi with { Peers = 200 } };
            baseConfig = Override(baseConfig, parse.GetValue(peers), null, parse.GetValue(duration), null, null, null);
            var sweepGrid = parse.GetValue(grid) is { } g ? Guard(() => SweepGridJson.Read(g.FullName), g.FullName) : new SweepGrid();
            if (sweepGrid.Validate() is { Count: > 0 } errors)
                throw new CliException("--grid: " + string.Join("; ", errors));
            var plots = ParseFormat(parse.GetValue(format)!);
            var folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var points = parse.GetValue(fromRuns) is null ? sweepGrid.Expand(baseConfig) : [];
            var outcomes = new List<SweepOutcome>();
            foreach (var run in (parse.GetValue(fromRuns) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                outcomes.Add(Guard(() => SweepOutcome.FromRunFolder(run), run));
            var lines = new List<string>();
            foreach (var point in points)
            {
                cancel.ThrowIfCancellationRequested();
                var run = SimulationRunner.Run(point.Config, baseDirectory: parse.GetValue(config)?.DirectoryName, cancel: cancel);
                outcomes.Add(SweepOutcome.From(point, run.Results));
                var line = $"{SweepGrid.Describe(point.Dissemination, point.Fanout)} difficulty {point.DifficultyBits} adversaries {point.AdversaryFraction:0.###} seed {point.Config.Seed}: coverage {Percent(run.Summary.MeanCoverage)}, replies {run.Summary.RepliesDelivered}/{run.Summary.Topics}, frames/peer {run.Summary.FramesPerPeer:0.#}, copies {run.Summary.MeanCopiesPerReceivingPeer:0.00}, hops to 99 % {run.Summary.Milestone(0.99).MeanHops:0.0}";
                lines.Add(line);
                if (!ctx.Json) ctx.Output.WriteLine(line);
            }
            SweepCsv.Write(outcomes, Path.Combine(folder, SweepCsv.FileName));
            var extension = plots == PlotFormat.Png ? ".png" : ".svg";
            foreach (var metric in Enum.GetValues<SweepMetric>())
            {
                SweepPlot.Write(outcomes, metric, Path.Combine(folder, "sweep-" + metric.ToString().ToLowerInvariant() + extension), plots);
                SweepFanoutPlot.Write(outcomes, metric, Path.Combine(folder, "sweep-fanout-" + metric.ToString().ToLowerInvariant() + extension), plots);
            }
            ctx.Write(new { Folder = Path.GetFullPath(folder), Runs = outcomes }, $"results: {Path.GetFullPath(folder)} (sweep.csv, per metric a plot against adversary fraction and one against fanout)");
            return Task.FromResult(0);
        });
        return command;
    }

    private static SimulationRunOptions RunOptions(string logLevel, int? threads, double? lookaheadMs)
    {
        if (threads is { } t && (t < 1 || t > 256))
            throw new CliException($"--threads must be 1 to 256, got {t}");
        if (lookaheadMs is { } l && (threads is null || !(l >= 0.1 && l <= 1000)))
            throw new CliException(threads is null ? "--lookahead-ms needs --threads" : $"--lookahead-ms must be 0.1 to 1000, got {l}");
        var options = new SimulationRunOptions { LogLevel = logLevel, Threads = threads };
        return lookaheadMs is { } ms ? options with { Lookahead = TimeSpan.FromMilliseconds(ms) } : options;
    }

    private static SimulationRun RunWithProgress(SimulationConfig scenario, string? baseDirectory, SimulationRunOptions how, bool quiet, CancellationToken cancel)
    {
        if (quiet || Console.IsOutputRedirected)
            return SimulationRunner.Run(scenario, how, baseDirectory, cancel);
        SimulationRun? run = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var starting = progress.AddTask($"starting {scenario.PeerCount:N0} nodes", maxValue: 1);
                var running = progress.AddTask($"{scenario.DurationSeconds:0} s of rides (simulated)", maxValue: 1);
                var options = how with
                {
                    Progress = new Progress(p =>
                    {
                        if (p.Phase == SimulationPhase.StartingNodes) starting.Value = p.Fraction;
                        else (starting.Value, running.Value) = (1, p.Fraction);
                    }),
                };
                run = SimulationRunner.Run(scenario, options, baseDirectory, cancel);
                running.Value = 1;
            });
        return run!;
    }

    // Synchronous: System.Progress would post to the thread pool, and the bar only needs a number.
    private sealed class Progress(Action<SimulationProgress> report) : IProgress<SimulationProgress>
    {
        public void Report(SimulationProgress value) => report(value);
    }

    private static IEnumerable<string> SummaryLines(SimulationRun run)
    {
        var s = run.Summary;
        var stats = run.Statistics;
        yield return $"peers {s.Peers} ({s.HonestPeers} honest), identities {stats.Identities}, links {stats.Links}, topics {s.Topics}";
        yield return $"coverage {Percent(s.MeanCoverage)} of peers per topic; reach 90 %: {Seconds(s.Milestone(0.9).MeanSeconds)} at {Hops(s.Milestone(0.9).MeanHops)} hops";
        yield return $"copies per receiving peer {s.MeanCopiesPerReceivingPeer:0.00}; frames {s.Frames:N0} ({s.FramesPerPeer:0.#}/peer), bytes {s.Bytes:N0}; PoW hashes {s.PowHashes:N0}";
        yield return $"replies delivered {s.RepliesDelivered} ({Percent(s.TopicsWithReply)} of topics), first after {Seconds(s.MeanSecondsToFirstReply)} on average";
        foreach (var role in s.EarningsByRole)
            yield return $"  {role.Role.ToString().ToLowerInvariant(),-10} {role.Peers,7:N0} peers: earned {Sats(role.EarnedMsat)}, paid {Sats(role.PaidMsat)}";
        foreach (var group in s.EarningsByHonesty.Where(g => g.Peers > 0))
            yield return $"  {(group.Honest ? "honest" : "dishonest"),-10} {group.Peers,7:N0} peers: net {Sats(group.NetMsat)} ({Sats((long)group.MeanNetMsat)} each on average)";
        yield return $"money conserved: {(run.Money.Conserved ? "yes" : "NO")} ({run.Money.DepositedMsat:N0} msat deposited, {run.Money.LockedMsat:N0} still locked in HTLCs); peers whose earnings differ from their balance change: {run.Money.PeersOffBalance}";
        yield return $"wall time {stats.WallTime.TotalSeconds:0.0} s (start-up {stats.StartupTime.TotalSeconds:0.0} s, running {stats.RunningTime.TotalSeconds:0.0} s, shut-down {stats.ShutdownTime.TotalSeconds:0.0} s) for {stats.SimulatedSeconds:0} s simulated; {stats.WorkItems:N0} actor work items; peak working set {stats.PeakWorkingSetBytes / (1024.0 * 1024):0} MiB"
            + (stats.LiveHeapAtEndBytes is { } live ? $", live heap at the end {live / (1024.0 * 1024):0} MiB ({live / 1024.0 / stats.Identities:0.0} KB per peer)" : "");
        if (stats.Cost is { } cost)
        {
            yield return $"running: CPU {cost.ProcessorTime.TotalSeconds:0.0} s, GC pauses {cost.GcPause.TotalSeconds:0.0} s in {cost.Collections:N0} collections ({cost.Gen2Collections:N0} full, {(cost.ServerGc ? "server" : "workstation")} GC), {cost.AllocatedBytes / (1024.0 * 1024 * 1024):0.00} GiB allocated";
            // Each workstation collection runs on one thread and stops every partition: the serial part that caps --threads.
            if (stats.Partitions is { Threads: > 1 } && !cost.ServerGc && Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is null)
                yield return "note: each workstation collection stops every partition; DOTNET_GCgen0size=0x10000000 (fewer collections) or DOTNET_gcServer=1 (parallel ones) cut that, same results (docs/benchmarks.md)";
        }
    }

    private static string Sats(long msat) => (msat / 1000.0).ToString("#,0.###", CultureInfo.InvariantCulture) + " sat";

    private static string Percent(double? value) => value is { } v ? (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "n/a";

    private static string Seconds(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "n/a";

    private static string Hops(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";

    private static SimulationConfig LoadConfig(FileInfo? file) =>
        file is null ? new SimulationConfig() : Guard(() => SimulationConfigJson.Read(file.FullName), file.FullName);

    private static T Guard<T>(Func<T> read, string path)
    {
        try
        {
            return read();
        }
        catch (FileNotFoundException)
        {
            throw new CliException($"{path}: no such file");
        }
        catch (Exception e) when (e is SimulationConfigException or System.Text.Json.JsonException or ArgumentException or IOException)
        {
            throw new CliException($"{path}: {e.Message}");
        }
    }

    private static SimulationConfig Override(SimulationConfig config, int? peers, long? seed, double? duration, int? fanout, int? difficulty, int? hops)
    {
        if (hops is { } h) config = config with { Hops = h };
        if (peers is { } p)
            config = config.Scenario == ScenarioKind.Jobs ? config with { Jobs = config.JobsSettings with { Peers = p } } : config with { Taxi = config.Taxi with { Peers = p } };
        if (seed is { } s) config = config with { Seed = s };
        if (duration is { } d) config = config with { DurationSeconds = d };
        if (fanout is { } f) config = config with { Fanout = f };
        if (difficulty is { } b) config = config with { DifficultyBits = b };
        if (SimulationConfigValidator.Validate(config) is { Count: > 0 } errors)
            throw new CliException(string.Join("; ", errors));
        return config;
    }

    /// <summary>--scenario over the config's: switching to jobs starts from the jobs defaults; back to taxi drops the jobs section.</summary>
    private static SimulationConfig WithScenario(SimulationConfig config, string? text) => text?.ToLowerInvariant() switch
    {
        null => config,
        "taxi" => config with { Scenario = ScenarioKind.Taxi, Jobs = null },
        "jobs" => config with { Scenario = ScenarioKind.Jobs },
        _ => throw new CliException($"--scenario: '{text}' is not taxi or jobs"),
    };

    private static SweetGossip.Node.Core.Dissemination ParseDissemination(string text) => text.ToLowerInvariant() switch
    {
        "fanout" => SweetGossip.Node.Core.Dissemination.Fanout,
        "announce" => SweetGossip.Node.Core.Dissemination.Announce,
        _ => throw new CliException($"--dissemination: '{text}' is not fanout or announce"),
    };

    private static PlotFormat ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "png" => PlotFormat.Png,
        "svg" => PlotFormat.Svg,
        _ => throw new CliException($"--format: '{text}' is not png or svg"),
    };

    private static string LogLevel(string text) => text.ToUpperInvariant() switch
    {
        "OFF" or "ERROR" or "WARNING" or "INFO" or "DEBUG" => text.ToUpperInvariant(),
        _ => throw new CliException($"--log-level: '{text}' is not off, error, warning, info or debug"),
    };
}
