using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Topology;

/// <summary>
/// Barabási–Albert preferential attachment: each new node links to m existing nodes chosen with
/// probability proportional to their degree. Gives the heavy-tailed degrees (hubs) seen in real P2P overlays.
/// </summary>
/// <remarks>
/// As networkx's <c>barabasi_albert_graph</c>: starts from a star on m + 1 nodes (node 0 the centre), then
/// nodes m+1 … n−1 each add m edges. Edges: m·(n − m), so the degree sum is 2·m·(n − m) ≈ 2·m·n.
/// Degree-proportional choice is a uniform pick from a list holding each node once per edge end.
/// </remarks>
public static class BarabasiAlbertGraph
{
    /// <exception cref="ArgumentOutOfRangeException">m &lt; 1 or m ≥ nodeCount.</exception>
    public static Graph Generate(int nodeCount, int edgesPerNode, long seed)
    {
        var m = edgesPerNode;
        if (m < 1 || m >= nodeCount)
            throw new ArgumentOutOfRangeException(nameof(edgesPerNode), edgesPerNode, $"m must be in [1, nodeCount − 1] (nodeCount {nodeCount}).");

        var random = SeedStreams.Open(seed, "topology/barabasi-albert");
        var totalEdges = (long)m * (nodeCount - m);
        var builder = new GraphBuilder(nodeCount, (int)Math.Min(totalEdges, int.MaxValue / 4));
        var ends = new List<int>((int)Math.Min(2 * totalEdges, int.MaxValue / 4));

        for (var leaf = 1; leaf <= m; leaf++)
        {
            builder.AddEdge(0, leaf);
            ends.Add(0);
            ends.Add(leaf);
        }

        var targets = new int[m];
        for (var source = m + 1; source < nodeCount; source++)
        {
            var chosen = 0;
            while (chosen < m)
            {
                var candidate = ends[random.Next(ends.Count)];
                if (Array.IndexOf(targets, candidate, 0, chosen) < 0) targets[chosen++] = candidate;
            }
            for (var i = 0; i < m; i++)
            {
                builder.AddEdge(source, targets[i]);
                ends.Add(targets[i]);
                ends.Add(source);
            }
        }
        return builder.Build();
    }
}
