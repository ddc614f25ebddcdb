using System.CommandLine;
using System.Diagnostics;
using SweetGossip.Cli.Devnet;

namespace SweetGossip.Cli.Commands;

/// <summary>`sgossip devnet up|down`: a Lightning hub and N nodes as background processes on loopback, in one directory.</summary>
internal static class DevnetCommands
{
    /// <summary>As many as docker/compose.yml runs.</summary>
    private const int DefaultNodes = 5;

    public static Command Build()
    {
        var devnet = new Command("devnet", "A local network on loopback: the Lightning hub and N nodes as background processes (what docker/compose.yml runs, without docker)");
        devnet.Subcommands.Add(Up());
        devnet.Subcommands.Add(Down());
        devnet.Subcommands.Add(Write());
        return devnet;
    }

    private static Option<string> Directory() =>
        Options.Required<string>("--dir", "The devnet's directory: authority, keys, certificates, configs, journals, logs and devnet.json");

    private static Command Up()
    {
        var nodes = Options.Optional<int?>("--nodes", $"How many nodes ({DevnetPlan.MinNodes}..{DevnetPlan.MaxNodes}, default {DefaultNodes}): node1 the rider, the last the taxi driver, middlemen between");
        var hubMembers = Options.Optional<int?>("--hub-members", "Members of a relay hub every node dials (1..16): one identity; more than one form an Akka.Cluster, each its own process and ports");
        var directory = Directory();
        var wait = Options.WithDefault("--wait", "Seconds each process may take to be ready (and the nodes to link up)", 120);
        var command = Options.Command("up", "Write the authority, keys, certificates and configs into --dir and start the Lightning hub and the nodes in the background; on a stopped devnet, start it again",
            nodes, hubMembers, directory, wait);
        command.SetAction(async (parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var seconds = parse.GetValue(wait);
            if (seconds is < 1 or > 3600) throw new CliException($"--wait: must be 1..3600 seconds, got {seconds}");
            var plan = DevnetPlan.Create(parse.GetValue(nodes) ?? DefaultNodes, parse.GetValue(hubMembers));
            var planGiven = parse.GetValue(nodes) is not null || parse.GetValue(hubMembers) is not null;
            var clock = Stopwatch.StartNew();
            // Progress goes to stderr: stdout stays the summary (or the JSON).
            var error = parse.InvocationConfiguration.Error;
            var manifest = await DevnetUp.RunAsync(new DevnetLayout(parse.GetValue(directory)!), plan, planGiven, TimeSpan.FromSeconds(seconds),
                line => { if (!ctx.Json) error.WriteLine(line); }, cancel);
            ctx.Write(manifest, [.. DevnetGuide.Up(manifest, clock.Elapsed)]);
            return 0;
        });
        return command;
    }

    private static Command Write()
    {
        var nodes = Options.Optional<int?>("--nodes", $"How many nodes ({DevnetPlan.MinNodes}..{DevnetPlan.MaxNodes}, default {DefaultNodes})");
        var hubMembers = Options.Optional<int?>("--hub-members", "Members of a relay hub every node dials (1..16)");
        var directory = Directory();
        var lightningHub = Options.Required<string>("--lightning-hub", "The Lightning hub's URL as every node reaches it, e.g. http://lightning-hub:9737 (its token: ../lightning-hub/hub.token from each node's folder)");
        var command = Options.Command("write", $"Write the authority, keys, certificates and configs of `up` into an empty --dir for hosts named after the processes (containers): listen 0.0.0.0:{DevnetWrite.PeerPort}, metrics 0.0.0.0:{DevnetWrite.MetricsPort}, control 127.0.0.1:{DevnetWrite.ControlPort}, hub members' cluster on <name>:{DevnetWrite.ClusterPort}; starts nothing",
            nodes, hubMembers, directory, lightningHub);
        command.SetAction(parse =>
        {
            var ctx = CliContext.From(parse);
            var plan = DevnetPlan.Create(parse.GetValue(nodes) ?? DefaultNodes, parse.GetValue(hubMembers));
            if (!Uri.TryCreate(parse.GetValue(lightningHub), UriKind.Absolute, out var url))
                throw new CliException($"--lightning-hub: not a URL: {parse.GetValue(lightningHub)}");
            var layout = new DevnetLayout(parse.GetValue(directory)!);
            var written = DevnetWrite.Run(layout, plan, url);
            ctx.Write(new { layout.Directory, Processes = written, plan.HubMembers },
                [$"wrote {string.Join(", ", written.Select(n => $"{n}/node.conf"))} and {Path.GetFileName(layout.Authority)} in {layout.Directory}"]);
            return 0;
        });
        return command;
    }

    private static Command Down()
    {
        var directory = Directory();
        var grace = Options.WithDefault("--grace", "Seconds each process may take to stop after SIGTERM before it is killed", 30);
        var purge = Options.WithDefault("--purge", "Also remove the devnet's files (keys, ledger, journals, logs, devnet.json)", false);
        var command = Options.Command("down", "Stop a devnet's processes (SIGTERM, then SIGKILL after --grace); its files stay unless --purge", directory, grace, purge);
        command.SetAction(async (parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var seconds = parse.GetValue(grace);
            if (seconds is < 0 or > 3600) throw new CliException($"--grace: must be 0..3600 seconds, got {seconds}");
            var layout = new DevnetLayout(parse.GetValue(directory)!);
            var outcomes = await DevnetDown.RunAsync(layout, TimeSpan.FromSeconds(seconds), parse.GetValue(purge), cancel);
            ctx.Write(new { layout.Directory, Processes = outcomes, Purged = parse.GetValue(purge) },
                [.. DevnetGuide.Down(layout.Directory, outcomes, parse.GetValue(purge))]);
            return 0;
        });
        return command;
    }
}
