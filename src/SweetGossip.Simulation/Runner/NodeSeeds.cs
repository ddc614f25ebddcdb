using SweetGossip.Node.Routing;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Randomness;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Runner;

/// <summary>
/// The seeds of a run's nodes that must differ from node to node: identity key, seeded entropy (ids, secrets), an
/// attacker's entropy and the fanout seed (the router's generator, and the peer choice's from it). Each is derived from (seed, purpose, node) as a 32-bit seed,
/// and <see cref="Random"/> treats s and −s alike, so among 100,000 nodes about two pairs per purpose would share one: at
/// seed 1, nodes 19771 and 70949 had one identity key, the run took each for the other, and the partitioned run buffered
/// 19771's reports in 70949's partition from 19771's thread (issue 13 item 4). Across purposes it is worse (≈ 30 pairs at
/// 100,000 nodes): one node's ids would be drawn from another's key stream. So no generator is started twice in a run,
/// whatever its purpose: purposes are taken in a fixed order, nodes in id order, and a seed already taken moves to the
/// next of its own fallbacks; every other seed is kept, so a run without a clash is unchanged.
/// </summary>
internal sealed class NodeSeeds
{
    private readonly int[] _identity;
    private readonly int[] _entropy;
    private readonly int[] _adversary;
    private readonly int[] _fanout;

    private NodeSeeds(int[] identity, int[] entropy, int[] adversary, int[] fanout) =>
        (_identity, _entropy, _adversary, _fanout) = (identity, entropy, adversary, fanout);

    /// <summary>The seeds of nodes 0 to <paramref name="nodes"/> − 1 (every identity of the run, late joiners included).</summary>
    public static NodeSeeds For(SimulationConfig config, int nodes)
    {
        var taken = new HashSet<int>(4 * nodes);
        // A fanout seed starts two generators: the router's, and the peer choice's (PeerChoice.SeedOf).
        return new(Distinct(config.Seed, "identity", nodes, taken), Distinct(config.Seed, "entropy", nodes, taken),
            Distinct(config.Seed, "adversary", nodes, taken), Distinct(config.Seed, "fanout", nodes, taken, PeerChoice.SeedOf));
    }

    /// <summary>The identity (and certificate) key of <paramref name="node"/>.</summary>
    public PrivateKey IdentityKey(int node) => Entropy.Seeded(_identity[node]).NewKey();

    /// <summary>The node's own seeded entropy (favour and ask ids, reply secrets, payload ids).</summary>
    public Entropy EntropyOf(int node) => Entropy.Seeded(_entropy[node]);

    /// <summary>An attacker's entropy for its attack.</summary>
    public Entropy AdversaryEntropyOf(int node) => Entropy.Seeded(_adversary[node]);

    /// <summary>The node's <c>NodeSettings.Seed</c>: its router's generator, and its peer choice's (<see cref="PeerChoice.SeedOf"/>).</summary>
    public int FanoutSeed(int node) => _fanout[node];

    /// <summary>Every seed, by purpose in the order they were taken (tests).</summary>
    internal IReadOnlyList<int[]> ByPurpose => [_identity, _entropy, _adversary, _fanout];

    /// <summary>Seeds for <paramref name="purpose"/>, one per node, none starting a generator in <paramref name="taken"/> (which gains them).</summary>
    /// <param name="alsoStarts">A second generator a seed of this purpose starts, which must be free too.</param>
    internal static int[] Distinct(long seed, string purpose, int nodes, HashSet<int>? taken = null, Func<int, int>? alsoStarts = null)
    {
        var seeds = new int[nodes];
        taken ??= new HashSet<int>(nodes);
        for (var node = 0; node < nodes; node++)
        {
            var derived = SeedStreams.Derive(seed, purpose, node);
            var candidate = (int)derived;
            for (var again = 1UL; !Take(taken, candidate, alsoStarts); again++)
                candidate = (int)StableHash.Combine(derived, again);
            seeds[node] = candidate;
        }
        return seeds;
    }

    private static bool Take(HashSet<int> taken, int seed, Func<int, int>? alsoStarts)
    {
        var first = GeneratorOf(seed);
        if (alsoStarts is null) return taken.Add(first);
        var second = GeneratorOf(alsoStarts(seed));
        if (first == second || taken.Contains(first) || taken.Contains(second)) return false;
        taken.Add(first);
        taken.Add(second);
        return true;
    }

    // Which generator a seed starts: Random(int) seeds with |s| (int.MinValue as int.MaxValue).
    private static int GeneratorOf(int seed) => seed == int.MinValue ? int.MaxValue : Math.Abs(seed);
}
