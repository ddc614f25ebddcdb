using System.CommandLine;
using SweetGossip.Cli.Control;
using SweetGossip.Daemon.Control;

namespace SweetGossip.Cli.Commands;

/// <summary>`sgossip replies`: the offers a running node received for the topics it originated.</summary>
internal static class RepliesCommand
{
    public static Command Build()
    {
        var control = ControlOptions.Default();
        var command = Options.Command("replies", "List the replies a running node received for its topics (arrived, then delivered once paid)", control.All);
        command.SetAction(async (parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var replies = await ControlClient.GetAsync<RepliesView>(control.Target(parse)!, "/replies", cancel);
            ctx.Write(replies, replies.Replies.Count == 0 ? ["no replies yet"] : [.. replies.Replies.Select(Line)]);
            return 0;
        });
        return command;
    }

    private static string Line(ReplyView r) => r.State == "delivered"
        ? $"{r.At} delivered {r.PayloadId}: \"{CliContext.Visible(r.Message ?? "")}\" from {CliContext.Visible(r.Replier ?? "?")} at {CliContext.Visible(r.ContactAddress ?? "?")}, paid {r.PaidMsat} msat, ack {(r.AckConfirmed == true ? "confirmed" : "missing")}"
        : $"{r.At} {r.State} {r.PayloadId}: offer via {r.Via?[..12]}, invoice {(r.InvoiceMsat is { } m ? $"{m} msat" : "without amount")}";
}
