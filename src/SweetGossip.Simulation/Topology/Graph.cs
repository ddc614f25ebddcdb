namespace SweetGossip.Simulation.Topology;

/// <summary>
/// An immutable, simple, undirected graph on nodes 0 … <see cref="NodeCount"/> − 1, stored as adjacency
/// arrays (compressed sparse rows): one offsets array and one neighbours array, each node's neighbours
/// sorted ascending. 100,000 nodes of degree 8 take about 3.6 MB.
/// </summary>
/// <remarks>No self-loops, no parallel edges. Build one with <see cref="GraphBuilder"/> or a generator.</remarks>
public sealed class Graph : IEquatable<Graph>
{
    private readonly int[] _offsets;
    private readonly int[] _neighbours;

    /// <summary>Takes ownership of the arrays; <see cref="GraphBuilder"/> guarantees they are well formed.</summary>
    internal Graph(int[] offsets, int[] neighbours)
    {
        _offsets = offsets;
        _neighbours = neighbours;
    }

    public int NodeCount => _offsets.Length - 1;

    /// <summary>Number of undirected edges.</summary>
    public int EdgeCount => _neighbours.Length / 2;

    public int Degree(int node)
    {
        CheckNode(node);
        return _offsets[node + 1] - _offsets[node];
    }

    /// <summary>The node's neighbours, ascending. A view into the graph: no copy.</summary>
    public ReadOnlySpan<int> Neighbours(int node)
    {
        CheckNode(node);
        return _neighbours.AsSpan(_offsets[node], _offsets[node + 1] - _offsets[node]);
    }

    public bool HasEdge(int a, int b)
    {
        CheckNode(a);
        CheckNode(b);
        // Search the shorter list.
        return Degree(a) <= Degree(b) ? Neighbours(a).BinarySearch(b) >= 0 : Neighbours(b).BinarySearch(a) >= 0;
    }

    /// <summary>Every edge once, as (A, B) with A &lt; B, in ascending order.</summary>
    public IEnumerable<(int A, int B)> Edges()
    {
        for (var a = 0; a < NodeCount; a++)
        {
            for (var i = _offsets[a]; i < _offsets[a + 1]; i++)
            {
                var b = _neighbours[i];
                if (b > a) yield return (a, b);
            }
        }
    }

    /// <summary>A graph from an edge list; duplicate edges are merged.</summary>
    /// <exception cref="ArgumentException">A self-loop.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A node id outside [0, nodeCount).</exception>
    public static Graph FromEdges(int nodeCount, IEnumerable<(int A, int B)> edges)
    {
        var builder = new GraphBuilder(nodeCount);
        foreach (var (a, b) in edges) builder.AddEdge(a, b);
        return builder.Build();
    }

    public bool Equals(Graph? other) =>
        other is not null && _offsets.AsSpan().SequenceEqual(other._offsets) && _neighbours.AsSpan().SequenceEqual(other._neighbours);

    public override bool Equals(object? obj) => Equals(obj as Graph);

    public override int GetHashCode() => HashCode.Combine(NodeCount, EdgeCount);

    public override string ToString() => $"Graph({NodeCount} nodes, {EdgeCount} edges)";

    private void CheckNode(int node)
    {
        if ((uint)node >= (uint)NodeCount)
            throw new ArgumentOutOfRangeException(nameof(node), node, $"Node ids are 0 to {NodeCount - 1}.");
    }
}
