using System.CommandLine;
using SweetGossip.Cli.Chaos;

namespace SweetGossip.Cli.Commands;

/// <summary>
/// `sgossip chaos settlement`: a five-node chain of `node run` processes on a Lightning hub, its nodes killed
/// (SIGKILL) at random journaled settlement steps and restarted on their journals; prints what was paid,
/// delivered, lost, doubled and left locked.
/// </summary>
internal static class ChaosCommands
{
    public static Command Build()
    {
        var kills = Options.WithDefault("--kills", "How many kills (one per round: one topic, one node killed at one step)", 10);
        var seed = Options.WithDefault("--seed", "Seed of the choice of node and step", 1);
        var directory = Options.Optional<string?>("--dir", "Working folder for keys, configs, journals and the hub (default: a new temporary folder, deleted afterwards)");
        var settlement = Options.Command("settlement", "Kill nodes of a payment chain at journaled steps; check no msat is lost, doubled or left locked", kills, seed, directory);
        settlement.SetAction(async (parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var count = parse.GetValue(kills);
            if (count is < 1 or > 10_000) throw new CliException($"--kills: must be 1..10000 (got {count})");
            var given = parse.GetValue(directory);
            var folder = Path.GetFullPath(given ?? Path.Combine(Path.GetTempPath(), "sgossip-chaos-" + Guid.NewGuid().ToString("N")[..8]));
            if (given is not null && Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
                throw new CliException($"--dir: {folder} is not empty (the chaos run writes keys, journals and a hub there)");
            var error = parse.InvocationConfiguration.Error;
            ChaosReport report;
            try
            {
                report = await SettlementChaos.RunAsync(folder, count, parse.GetValue(seed), line => error.WriteLine(line), cancel);
            }
            catch (TimeoutException e)
            {
                throw new CliException($"a process did not do what the round needed: {e.Message.Split('\n')[0]} (its output is in {folder})");
            }
            finally
            {
                if (given is null) TryDelete(folder);
            }
            var missed = report.Rounds.Count(r => r.ExpectedDelivered && !r.ReplyDelivered) + (report.RepliesPaid - Math.Min(report.RepliesPaid, report.RepliesDelivered));
            ctx.Write(new { report.Kills, report.RepliesPaid, report.RepliesDelivered, report.LostMsat, report.Doubled, report.LockedMsatAtEnd, report.MoneyConserved, report.HubInvariants, report.Rounds },
                $"kills {report.Kills}: replies paid {report.RepliesPaid}, delivered {report.RepliesDelivered}",
                $"lost {report.LostMsat} msat, doubled {report.Doubled}, locked at the end {report.LockedMsatAtEnd} msat, money conserved: {(report.MoneyConserved ? "yes" : "NO")}, hub books: {report.HubInvariants}");
            return report.LostMsat == 0 && report.Doubled == 0 && report.LockedMsatAtEnd == 0 && report.MoneyConserved && missed == 0 ? 0 : 1;
        });
        var chaos = new Command("chaos", "Fault injection against real node processes");
        chaos.Subcommands.Add(settlement);
        return chaos;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
    }
}
