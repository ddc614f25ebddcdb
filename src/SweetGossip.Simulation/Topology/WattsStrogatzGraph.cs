using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Topology;

/// <summary>
/// Watts–Strogatz small world: a ring where each node links to its k nearest ring neighbours (k/2 on each
/// side), then each edge (u, u+j) is rewired with probability β to (u, w), w uniform among nodes not yet
/// linked to u. β = 0 is the ring lattice; β = 1 is close to a random graph. Edges: always n·k/2.
/// </summary>
/// <remarks>Rewiring order as networkx's <c>watts_strogatz_graph</c>: by distance j, then by node.</remarks>
public static class WattsStrogatzGraph
{
    /// <exception cref="ArgumentOutOfRangeException">k odd, negative, or ≥ nodeCount; β outside [0, 1].</exception>
    public static Graph Generate(int nodeCount, int ringNeighbours, double rewireProbability, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCount);
        var k = ringNeighbours;
        if (k < 0 || k % 2 != 0 || (k > 0 && k >= nodeCount))
            throw new ArgumentOutOfRangeException(nameof(ringNeighbours), k, $"k must be even and below the node count ({nodeCount}).");
        if (!(rewireProbability >= 0 && rewireProbability <= 1))
            throw new ArgumentOutOfRangeException(nameof(rewireProbability), rewireProbability, "β must be in [0, 1].");

        var n = nodeCount;
        var edges = new HashSet<long>(n * (k / 2), MixedLongComparer.Instance);
        var degree = new int[n];
        for (var u = 0; u < n; u++)
            for (var j = 1; j <= k / 2; j++)
            {
                edges.Add(GraphBuilder.Pack(u, (u + j) % n));
                degree[u]++;
                degree[(u + j) % n]++;
            }

        if (rewireProbability > 0)
        {
            var random = SeedStreams.Open(seed, "topology/watts-strogatz");
            for (var j = 1; j <= k / 2; j++)
                for (var u = 0; u < n; u++)
                {
                    if (random.NextDouble() >= rewireProbability) continue;
                    var v = (u + j) % n;
                    if (degree[u] >= n - 1 || !edges.Contains(GraphBuilder.Pack(u, v))) continue;
                    int w;
                    do w = random.Next(n);
                    while (w == u || edges.Contains(GraphBuilder.Pack(u, w)));
                    edges.Remove(GraphBuilder.Pack(u, v));
                    edges.Add(GraphBuilder.Pack(u, w));
                    degree[v]--;
                    degree[w]++;
                }
        }

        // The set's iteration order is not part of the result: the builder sorts.
        var builder = new GraphBuilder(n, edges.Count);
        foreach (var key in edges) builder.AddEdge((int)(key >> 32), (int)key);
        return builder.Build();
    }
}
