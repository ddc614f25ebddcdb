using SweetGossip.Cli.Chaos;
using Xunit.Abstractions;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// Issue 9's crash-point matrix on real processes: five `sgossip node run` processes and a Lightning hub; for
/// one role (originator, middleman, replier) each journaled settlement step in turn: the node is restarted armed
/// with <c>SGOSSIP_CRASH_AFTER</c>, a topic is originated, the node kills itself with SIGKILL right after
/// journaling that step, it is restarted on the same SQLite directory, and the round runs to its end. Then: every
/// paid reply was delivered and opened (its message is in the delivery line), every step after the chain formed
/// still delivers, no hold is left locked, and the hub's balances moved by exactly price and fees per paid reply.
/// Kill points are deterministic (the process kills itself at the step); every wait is on a log line.
/// </summary>
public class SettlementCrashMatrixTests(ITestOutputHelper output) : CliTestBase
{
    [Theory]
    [InlineData("originator", "rider")]
    [InlineData("middleman", "m2")]
    [InlineData("replier", "driver")]
    public async Task Killed_at_every_journaled_step_a_node_restarts_and_nothing_paid_is_lost_doubled_or_undelivered(string role, string node)
    {
        var steps = CrashStep.Of(role);
        var report = await SettlementChaos.RunAsync(Dir, steps.Count, seed: 0, output.WriteLine, CancellationToken.None,
            schedule: steps.Select(s => (node, s)).ToList());

        Assert.Equal(steps.Count, report.Kills);
        Assert.All(report.Rounds, r => Assert.True(r.ReplyDelivered == r.ExpectedDelivered, $"round {r.Number} ({r.Step}): delivered {r.ReplyDelivered}"));
        Assert.All(report.Rounds, r => Assert.Equal(r.ReplyDelivered, r.ReplyPaid));
        Assert.Equal(0, report.LostMsat);
        Assert.Equal(0, report.Doubled);
        Assert.Equal(0UL, report.LockedMsatAtEnd);
        Assert.True(report.MoneyConserved);
        Assert.Equal("ok", report.HubInvariants);
    }
}

/// <summary>`sgossip chaos settlement` end to end: a short run of random kills, its JSON report.</summary>
public class ChaosCommandTests : CliTestBase
{
    [Fact]
    public void A_short_chaos_run_reports_every_kill_and_no_money_lost_doubled_or_locked()
    {
        var run = Run("chaos", "settlement", "--kills", "2", "--seed", "5", "--dir", PathOf("chaos"), "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var report = run.Json();
        Assert.Equal(2, report.GetProperty("kills").GetInt32());
        Assert.Equal(report.GetProperty("replies_paid").GetInt32(), report.GetProperty("replies_delivered").GetInt32());
        Assert.Equal(0, report.GetProperty("lost_msat").GetInt64());
        Assert.Equal(0, report.GetProperty("doubled").GetInt32());
        Assert.Equal(0UL, report.GetProperty("locked_msat_at_end").GetUInt64());
        Assert.Equal(2, report.GetProperty("rounds").GetArrayLength());
        Assert.Equal("error: --kills: must be 1..10000 (got 0)", AssertOneLineError(Run("chaos", "settlement", "--kills", "0")));
    }
}
