using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Chaos;

/// <summary>What one kill did, and what the money did.</summary>
public sealed record ChaosRound(int Number, string Node, string Step, string PayloadId, bool ReplyPaid, bool ReplyDelivered, bool ExpectedDelivered);

/// <summary>
/// `sgossip chaos settlement`'s report: kills made, replies paid and delivered, and the money check against the
/// hub's books: msat lost (a node below what the rounds it took part in entitle it to), payments doubled
/// (a round's offer paid more than once), msat still locked in HTLCs at the end.
/// </summary>
public sealed record ChaosReport(
    int Kills, int RepliesPaid, int RepliesDelivered, long LostMsat, int Doubled, ulong LockedMsatAtEnd, bool MoneyConserved, string HubInvariants,
    IReadOnlyList<ChaosRound> Rounds);

/// <summary>
/// Kills nodes of a five-node chain at journaled settlement steps, restarts them on their SQLite journals, and
/// checks that every paid reply is delivered and no msat is lost, doubled or left locked. Each round: a node is
/// restarted armed to crash after one step of its role (<see cref="CrashStep"/>), the rider originates a topic,
/// the node dies at that step (SIGKILL, by itself), is restarted, and the round runs to its end.
/// </summary>
public static class SettlementChaos
{
    public static async Task<ChaosReport> RunAsync(string directory, int kills, int seed, Action<string> log, CancellationToken ct,
        IReadOnlyList<(string Node, CrashStep Step)>? schedule = null, TimeSpan? patience = null)
    {
        var random = new Random(seed);
        schedule ??= Enumerable.Range(0, kills).Select(_ =>
        {
            var node = ChainNetwork.Line[random.Next(ChainNetwork.Line.Count)];
            var steps = CrashStep.Of(ChainNetwork.RoleOf(node));
            return (node, steps[random.Next(steps.Count)]);
        }).ToList();
        await using var network = await ChainNetwork.StartAsync(directory, patience ?? TimeSpan.FromSeconds(90));
        log($"hub {network.HubUrl}; five nodes up; {schedule.Count} kills planned (seed {seed})");
        var rounds = new List<ChaosRound>();
        var known = new HashSet<Hash32>();
        foreach (var (node, step) in schedule)
        {
            ct.ThrowIfCancellationRequested();
            var number = rounds.Count + 1;
            log($"round {number}: {node} ({ChainNetwork.RoleOf(node)}) is to be killed after {step.Event}");
            await network.RestartAsync(node, step.Event);
            var payloadId = await network.OriginateAsync(ct);
            var victim = network.Node(node);
            await victim.WaitForExitAsync(); // the crash point: SIGKILL right after journaling the step
            if (victim.Count(l => l.Contains("crash point:", StringComparison.Ordinal)) == 0)
                throw new InvalidOperationException($"round {number}: {node} exited without reaching its crash point; its output:\n{victim.Output}");
            // A rider killed after journaling a delivery logged it before dying; its restart does not deliver twice.
            var deliveredBeforeCrash = node == "rider" && victim.Count(l => Delivered(l) && l.Contains(payloadId, StringComparison.Ordinal)) > 0;
            await network.RestartAsync(node, crashAfter: null);

            bool delivered;
            if (step.ReplyDelivered && !deliveredBeforeCrash)
            {
                await network.Node("rider").LineAsync(l => Delivered(l) && l.Contains(payloadId, StringComparison.Ordinal), $"the reply for {payloadId} delivered");
                delivered = true;
            }
            else
                delivered = deliveredBeforeCrash || network.Node("rider").Count(l => Delivered(l) && l.Contains(payloadId, StringComparison.Ordinal)) > 0;

            // This round's invoices: those under hashes not seen before.
            var state = await network.HubStateAsync(ct);
            var hashes = state.Invoices.Select(i => i.PaymentHash).Where(h => !known.Contains(h)).Distinct().ToList();
            known.UnionWith(hashes);
            var paid = state.Invoices.Any(i => hashes.Contains(i.PaymentHash) && i.Payee == "m1" && i.State == InvoiceState.Settled);
            rounds.Add(new ChaosRound(number, node, step.ToString(), payloadId, paid, delivered, step.ReplyDelivered));
            log($"round {number}: reply {(paid ? "paid" : "not paid")}, {(delivered ? "delivered" : "not delivered")}");
        }
        // A delivered reply means the rider's payment succeeded, which the chain settles from the driver up: by now
        // no hold may be left. What is still locked is reported, not waited for.
        return Check(await network.HubStateAsync(ct), rounds);
    }

    private static bool Delivered(string line) => line.Contains("reply delivered for payload", StringComparison.Ordinal);

    /// <summary>Compares the hub's books with what the rounds entitle each node to.</summary>
    internal static ChaosReport Check(HubState state, IReadOnlyList<ChaosRound> rounds)
    {
        var paidRounds = rounds.Count(r => r.ReplyPaid);
        var expected = new Dictionary<string, long>
        {
            ["rider"] = -(long)(ChainNetwork.PriceMsat + 3 * ChainNetwork.RelayFeeMsat) * paidRounds,
            ["m1"] = (long)ChainNetwork.RelayFeeMsat * paidRounds,
            ["m2"] = (long)ChainNetwork.RelayFeeMsat * paidRounds,
            ["m3"] = (long)ChainNetwork.RelayFeeMsat * paidRounds,
            ["driver"] = (long)ChainNetwork.PriceMsat * paidRounds,
        };
        long lost = 0;
        foreach (var node in state.Nodes)
        {
            var net = (long)node.AvailableMsat - (long)node.OpeningBalanceMsat;
            if (expected.TryGetValue(node.Name, out var entitled) && net < entitled) lost += entitled - net;
        }
        // Doubled: an invoice the rider paid beyond one per paid round, or an invoice settled more than once.
        var riderPayments = state.Invoices.Count(i => i.Payer == "rider" && i.State == InvoiceState.Settled);
        var settledTwice = state.Invoices.Count(i => i.History.Count(h => h == InvoiceState.Settled) > 1);
        var doubled = Math.Max(0, riderPayments - paidRounds) + settledTwice;
        var locked = state.Nodes.Aggregate(0UL, (sum, n) => sum + n.OutgoingLockedMsat);
        return new ChaosReport(rounds.Count, paidRounds, rounds.Count(r => r.ReplyDelivered), lost, doubled, locked,
            state.TotalMsat == state.DepositedMsat, state.Invariants, rounds);
    }
}
