using System.CommandLine;
using SweetGossip.Cli.Control;
using SweetGossip.Daemon.Control;
using SweetGossip.Daemon.Hosting;

namespace SweetGossip.Cli.Commands;

/// <summary>`sgossip node run|status`: run a node in the foreground, or ask a running one how it is.</summary>
internal static class NodeCommands
{
    public static Command Build()
    {
        var node = new Command("node", "Run a Sweet-Gossip node, or ask a running one");
        node.Subcommands.Add(Run());
        node.Subcommands.Add(Status());
        return node;
    }

    private static Command Run()
    {
        var config = Options.Required<string>("--config", "The node's HOCON file (see hocon/node.conf)");
        var command = Options.Command("run", "Run a node in the foreground until Ctrl-C or SIGTERM; logs one line per event on stdout", config);
        command.SetAction((parse, cancel) => NodeProcess.RunAsync(parse.GetValue(config)!, parse.InvocationConfiguration.Output, cancel));
        return command;
    }

    private static Command Status()
    {
        var control = ControlOptions.Default();
        var command = Options.Command("status", "Show a running node's identity, addresses, peers and balance", control.All);
        command.SetAction(async (parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var s = await ControlClient.GetAsync<StatusView>(control.Target(parse)!, "/status", cancel);
            ctx.Write(s,
                $"identity {s.Identity}",
                $"listen {s.Listen} (contact {s.ContactAddress})",
                $"peers {s.Peers}, topics in flight {s.TopicsInFlight}, payloads seen {s.PayloadsSeen}, favours open {s.FavoursOpen}",
                $"lightning {s.Lightning}, balance {s.BalanceMsat} msat",
                $"maps {string.Join(", ", s.Maps.Select(m => $"{m.Key} {m.Value}"))}");
            return 0;
        });
        return command;
    }
}
