namespace SweetGossip.Simulation.Topology;

/// <summary>
/// Collects undirected edges and builds a <see cref="Graph"/>. Duplicate edges are merged; the result does
/// not depend on the order edges were added in (edges are sorted before the arrays are laid out).
/// </summary>
public sealed class GraphBuilder
{
    // Each edge packed as (min << 32) | max: 8 bytes an edge, and sorting the longs sorts the edges.
    private readonly List<long> _edges;

    public GraphBuilder(int nodeCount, int expectedEdges = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCount);
        NodeCount = nodeCount;
        _edges = new List<long>(Math.Max(0, expectedEdges));
    }

    public int NodeCount { get; }

    /// <exception cref="ArgumentException">A self-loop.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A node id outside [0, NodeCount).</exception>
    public GraphBuilder AddEdge(int a, int b)
    {
        if ((uint)a >= (uint)NodeCount) throw new ArgumentOutOfRangeException(nameof(a), a, $"Node ids are 0 to {NodeCount - 1}.");
        if ((uint)b >= (uint)NodeCount) throw new ArgumentOutOfRangeException(nameof(b), b, $"Node ids are 0 to {NodeCount - 1}.");
        if (a == b) throw new ArgumentException($"Self-loop on node {a}: the graph is simple.", nameof(b));
        _edges.Add(Pack(a, b));
        return this;
    }

    internal static long Pack(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

    public Graph Build()
    {
        var edges = _edges.ToArray();
        Array.Sort(edges);
        var unique = edges.Length == 0 ? 0 : 1;
        for (var i = 1; i < edges.Length; i++)
            if (edges[i] != edges[unique - 1]) edges[unique++] = edges[i];

        var offsets = new int[NodeCount + 1];
        for (var i = 0; i < unique; i++)
        {
            offsets[(int)(edges[i] >> 32) + 1]++;
            offsets[(int)edges[i] + 1]++;
        }
        for (var n = 0; n < NodeCount; n++) offsets[n + 1] += offsets[n];

        // Edges are sorted by (min, max), so each node first receives its smaller neighbours in ascending
        // order (as the max of earlier edges), then its larger ones: every list comes out sorted.
        var fill = offsets.AsSpan(0, NodeCount).ToArray();
        var neighbours = new int[2 * unique];
        for (var i = 0; i < unique; i++)
        {
            var a = (int)(edges[i] >> 32);
            var b = (int)edges[i];
            neighbours[fill[a]++] = b;
            neighbours[fill[b]++] = a;
        }
        return new Graph(offsets, neighbours);
    }
}
