using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Runner;

/// <summary>
/// One identity (node) of a run: the scenario's peers 0 … n−1, then Sybil identities. Says when it joins,
/// whom it dials, and which attack (if any) it serves.
/// </summary>
internal sealed record IdentityPlan(int Id, int Peer, AttackAssignment? Attack, double JoinSeconds, int[] Dials)
{
    /// <summary>
    /// Peers dial their higher-numbered neighbours (so each link is made once). A Sybil attack's extra
    /// identities dial the attacker's neighbours, and Eclipse and Censorship attackers also dial the target;
    /// Flash and CovertFlash identities join when their attack starts.
    /// </summary>
    public static IReadOnlyList<IdentityPlan> For(SimulationConfig config, Graph graph, AdversaryPlan adversaries)
    {
        var n = config.PeerCount;
        var plans = new List<IdentityPlan>(n);
        for (var peer = 0; peer < n; peer++)
        {
            var attack = adversaries.AttackOf(peer);
            var dials = graph.Neighbours(peer).ToArray().Where(j => j > peer).ToList();
            if (attack?.Attack.Kind is AttackKind.Eclipse or AttackKind.Censorship && attack.Attack.TargetNode is { } target
                && target != peer && !graph.HasEdge(peer, target) && !dials.Contains(target))
                dials.Add(target);
            plans.Add(new IdentityPlan(peer, peer, attack, 0, [.. dials]));
        }
        foreach (var assignment in adversaries.Attacks.Where(a => a.Attack.UsesSybils))
        {
            var attack = assignment.Attack;
            var joins = attack.Kind is AttackKind.Flash or AttackKind.CovertFlash ? attack.StartSeconds : 0;
            foreach (var attacker in assignment.Attackers)
                for (var extra = 1; extra < attack.EffectiveIdentitiesPerAttacker; extra++)
                {
                    var dials = graph.Neighbours(attacker).ToArray().ToList();
                    if (attack.TargetNode is { } target && !dials.Contains(target)) dials.Add(target);
                    plans.Add(new IdentityPlan(plans.Count, attacker, assignment, joins, [.. dials]));
                }
        }
        return plans;
    }
}
