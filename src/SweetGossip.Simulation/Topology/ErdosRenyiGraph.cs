using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Topology;

/// <summary>Erdős–Rényi G(n, p): each of the n(n−1)/2 possible edges present independently with probability p.</summary>
/// <remarks>
/// Batagelj–Brandes geometric skipping: jumps straight to the next present edge, so the cost is
/// O(n + edges) rather than O(n²): fine for 100,000 nodes at sparse p.
/// </remarks>
public static class ErdosRenyiGraph
{
    /// <exception cref="ArgumentOutOfRangeException">Negative node count, or p outside [0, 1].</exception>
    public static Graph Generate(int nodeCount, double edgeProbability, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCount);
        if (!(edgeProbability >= 0 && edgeProbability <= 1))
            throw new ArgumentOutOfRangeException(nameof(edgeProbability), edgeProbability, "Edge probability must be in [0, 1].");

        var expected = edgeProbability * nodeCount * (nodeCount - 1.0) / 2;
        if (expected * 2 > Array.MaxLength * 0.9)
            throw new ArgumentOutOfRangeException(nameof(edgeProbability), edgeProbability, $"About {expected:F0} edges expected: too many for one graph.");

        var builder = new GraphBuilder(nodeCount, (int)Math.Min(expected * 1.1 + 16, int.MaxValue / 4));
        if (edgeProbability == 0 || nodeCount < 2) return builder.Build();

        var random = SeedStreams.Open(seed, "topology/erdos-renyi");
        var logQ = Math.Log(1 - edgeProbability); // -∞ when p = 1: every skip is 0, giving the complete graph
        long v = 1, w = -1;
        while (v < nodeCount)
        {
            var logR = Math.Log(1 - random.NextDouble());
            w += 1 + (long)Math.Floor(logR / logQ);
            while (w >= v && v < nodeCount)
            {
                w -= v;
                v++;
            }
            if (v < nodeCount) builder.AddEdge((int)v, (int)w);
        }
        return builder.Build();
    }
}
