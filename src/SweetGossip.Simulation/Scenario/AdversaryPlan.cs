using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// Which peers attack, per attack: round(fraction × peers) peers each, drawn from one seeded permutation
/// (stream "adversaries") so attackers of different attacks are distinct, and never an attack's target.
/// </summary>
public sealed class AdversaryPlan
{
    private readonly int[] _attackIndexOf; // -1: honest

    private AdversaryPlan(int peerCount, ValueList<AttackAssignment> attacks)
    {
        Attacks = attacks;
        _attackIndexOf = new int[peerCount];
        Array.Fill(_attackIndexOf, -1);
        foreach (var a in attacks)
            foreach (var node in a.Attackers) _attackIndexOf[node] = a.AttackIndex;
    }

    public ValueList<AttackAssignment> Attacks { get; }

    /// <summary>The attack a node takes part in, or null for an honest node.</summary>
    public AttackAssignment? AttackOf(int node) => _attackIndexOf[node] < 0 ? null : Attacks[_attackIndexOf[node]];

    public bool IsHonest(int node) => _attackIndexOf[node] < 0;

    public static AdversaryPlan Assign(SimulationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var n = config.PeerCount;
        var targets = config.Attacks.Where(a => a.TargetNode is not null).Select(a => a.TargetNode!.Value).ToHashSet();
        var pool = Enumerable.Range(0, n).Where(node => !targets.Contains(node)).ToArray();
        SeedStreams.Open(config.Seed, "adversaries").Shuffle(pool);

        var next = 0;
        var assignments = new List<AttackAssignment>();
        for (var i = 0; i < config.Attacks.Count; i++)
        {
            var attack = config.Attacks[i];
            var count = Math.Min((int)Math.Round(attack.Fraction * n, MidpointRounding.AwayFromZero), pool.Length - next);
            var attackers = pool.AsSpan(next, count).ToArray();
            Array.Sort(attackers);
            next += count;
            assignments.Add(new AttackAssignment(i, attack, new ValueList<int>(attackers)));
        }
        return new AdversaryPlan(n, new ValueList<AttackAssignment>(assignments));
    }
}
