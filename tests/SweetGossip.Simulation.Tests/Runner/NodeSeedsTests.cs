using SweetGossip.Simulation.Randomness;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Runner;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Tests.Runner;

/// <summary>The per-node seeds a run must not share between two nodes (identity key, entropy).</summary>
public sealed class NodeSeedsTests
{
    [Fact]
    public void A_hundred_thousand_nodes_get_distinct_identity_generators_and_only_the_clashing_ones_change()
    {
        // Derived 32-bit seeds clash at this size: seed 1 gives nodes 19771 and 70949 one identity seed (with Random(int),
        // s and −s start the same generator too). The 100,000-peer runs had those two nodes as one.
        const int nodes = 100_000;
        var seeds = NodeSeeds.Distinct(1, "identity", nodes);
        var generators = seeds.Select(s => s == int.MinValue ? int.MaxValue : Math.Abs(s)).ToHashSet();
        Assert.Equal(nodes, generators.Count);

        var plain = Enumerable.Range(0, nodes).Select(node => (int)SeedStreams.Derive(1, "identity", node)).ToArray();
        var moved = Enumerable.Range(0, nodes).Where(node => seeds[node] != plain[node]).ToArray();
        Assert.Contains(70949, moved);
        Assert.Equal(seeds[19771], plain[19771]);
        // Only the higher node of each clash moves: runs without a clash keep every seed (and their results).
        Assert.InRange(moved.Length, 1, 10);
    }

    [Fact]
    public void The_clashing_nodes_of_a_small_run_get_different_identity_keys()
    {
        // Seed 267187: nodes 10 and 257 derive one identity seed (the repro of PartitionedRunTests).
        var plain = Enumerable.Range(0, 300).Select(node => (int)SeedStreams.Derive(267187, "identity", node)).ToArray();
        Assert.Equal(Math.Abs(plain[10]), Math.Abs(plain[257]));
        var seeds = NodeSeeds.For(new SimulationConfig { Seed = 267187 }, 300);
        Assert.NotEqual(seeds.IdentityKey(10).PublicKey, seeds.IdentityKey(257).PublicKey);
        Assert.Equal(seeds.IdentityKey(10).PublicKey, Entropy.Seeded(plain[10]).NewKey().PublicKey);
    }

    [Fact]
    public void No_generator_is_started_twice_in_a_run_whatever_its_purpose()
    {
        // Across identity, entropy, adversary and fanout seeds, 400,000 derived seeds at seed 1 clash in ≈ 30 pairs: one
        // node's payload ids would have come from another's key stream, or two nodes chosen peers alike.
        const int nodes = 100_000;
        var seeds = NodeSeeds.For(new SimulationConfig { Seed = 1 }, nodes);
        string[] purposes = ["identity", "entropy", "adversary", "fanout"];
        var plain = purposes.SelectMany(p => Enumerable.Range(0, nodes).Select(node => Generator((int)SeedStreams.Derive(1, p, node)))).ToList();
        Assert.True(plain.Distinct().Count() < plain.Count - 10, "seed 1 no longer has cross-purpose clashes to test with");

        var all = seeds.ByPurpose.SelectMany(s => s).Select(Generator)
            .Concat(seeds.ByPurpose[3].Select(s => Generator(SweetGossip.Node.Routing.PeerChoice.SeedOf(s)))).ToList(); // the peer choice's too
        Assert.Equal(all.Count, all.Distinct().Count());
        // Only clashing seeds moved: the rest of the run is as before.
        var moved = seeds.ByPurpose.SelectMany((s, p) => s.Where((seed, node) => seed != (int)SeedStreams.Derive(1, purposes[p], node))).Count();
        Assert.InRange(moved, 1, 60);
    }

    private static int Generator(int seed) => seed == int.MinValue ? int.MaxValue : Math.Abs(seed);
}
