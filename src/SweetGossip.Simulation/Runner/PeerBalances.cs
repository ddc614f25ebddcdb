using SweetGossip.Lightning.Embedded;
using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Runner;

/// <summary>
/// Money per peer: the change of each peer's Lightning balance over the run against the net its earnings record
/// (every role, favours included). A payment still in flight at the end counts as not yet made on both sides.
/// </summary>
internal static class PeerBalances
{
    /// <summary>Each node's balance change, msat: spendable plus outgoing HTLCs still locked, less its opening balance.</summary>
    /// <param name="accountOf">The ledger account of each node id; −1 for a node that never started.</param>
    public static long[] Changes(EmbeddedLightningNetwork lightning, int[] accountOf, ulong openingBalanceMsat)
    {
        var changes = new long[accountOf.Length];
        for (var node = 0; node < accountOf.Length; node++)
        {
            if (accountOf[node] < 0) continue;
            var balance = lightning.Ledger.GetBalance(accountOf[node]);
            changes[node] = (long)(balance.AvailableMsat + balance.OutgoingLockedMsat) - (long)openingBalanceMsat;
        }
        return changes;
    }

    /// <summary>The money check with the peers whose recorded net is not their balance change counted, the first named.</summary>
    public static MoneyCheck Compare(MoneyCheck money, IReadOnlyList<PeerStats> peers, long[] changes)
    {
        var off = 0;
        string? first = null;
        foreach (var p in peers)
        {
            if (p.NetMsat == changes[p.Node]) continue;
            off++;
            first ??= $"peer {p.Node}: earnings net {p.NetMsat} msat (earned {p.Earned}, paid {p.Paid}), balance change {changes[p.Node]} msat";
        }
        return money with { PeersOffBalance = off, FirstPeerOffBalance = first };
    }
}
