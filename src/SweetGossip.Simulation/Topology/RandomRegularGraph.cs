using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Topology;

/// <summary>
/// Random d-regular graphs: every node has exactly d neighbours, uniformly wired.
/// </summary>
/// <remarks>
/// Pairing model with local repair (as networkx's <c>random_regular_graph</c>, after Steger and Wormald):
/// shuffle the n·d "stubs", pair neighbours, keep pairs that make a new edge, reshuffle the leftovers,
/// and restart only when no valid pair is left. The plain pairing model would restart almost always
/// for d = 8 (a simple graph comes out with probability about e^-(d²-1)/4 ≈ 1.4e-7).
/// Adjacency is kept in a flat n·d array while wiring, so 100,000 nodes of degree 8 need a few MB.
/// </remarks>
public static class RandomRegularGraph
{
    private const int MaxRestarts = 1_000;
    private const int MaxStalledPasses = 1_000;

    /// <exception cref="ArgumentOutOfRangeException">
    /// Negative counts, degree ≥ nodeCount (when nodeCount &gt; 0), or nodeCount·degree odd.
    /// </exception>
    public static Graph Generate(int nodeCount, int degree, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCount);
        ArgumentOutOfRangeException.ThrowIfNegative(degree);
        if (degree > 0 && degree >= nodeCount)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, $"Degree must be below the node count ({nodeCount}).");
        if ((long)nodeCount * degree % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, $"nodeCount × degree must be even (got {nodeCount} × {degree}).");
        if ((long)nodeCount * degree > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, "nodeCount × degree is too large for one array.");

        var random = SeedStreams.Open(seed, "topology/random-regular");
        for (var attempt = 0; attempt < MaxRestarts; attempt++)
        {
            var adjacency = TryWire(nodeCount, degree, random);
            if (adjacency is null) continue;
            var builder = new GraphBuilder(nodeCount, nodeCount * degree / 2);
            for (var u = 0; u < nodeCount; u++)
                for (var k = 0; k < degree; k++)
                {
                    var v = adjacency[u * degree + k];
                    if (u < v) builder.AddEdge(u, v);
                }
            return builder.Build();
        }
        throw new InvalidOperationException($"No {degree}-regular graph on {nodeCount} nodes after {MaxRestarts} restarts.");
    }

    /// <summary>Flat adjacency (node u's neighbours at [u·d, u·d+d)), or null when wiring got stuck.</summary>
    private static int[]? TryWire(int n, int d, SimRandom random)
    {
        var adjacency = new int[n * d];
        var filled = new int[n];
        var stubs = new int[n * d];
        for (var i = 0; i < stubs.Length; i++) stubs[i] = i / d;

        var count = stubs.Length;
        var stalled = 0;
        while (count > 0)
        {
            random.Shuffle(stubs.AsSpan(0, count));
            var leftover = 0;
            for (var i = 0; i + 1 < count; i += 2)
            {
                int u = stubs[i], v = stubs[i + 1];
                if (u != v && !Connected(adjacency, filled, d, u, v))
                {
                    adjacency[u * d + filled[u]++] = v;
                    adjacency[v * d + filled[v]++] = u;
                }
                else
                {
                    // leftover ≤ i, so this never overwrites a stub not yet read.
                    stubs[leftover++] = u;
                    stubs[leftover++] = v;
                }
            }
            stalled = leftover == count ? stalled + 1 : 0;
            count = leftover;
            if (count > 0 && (stalled > MaxStalledPasses || !AnyValidPair(stubs.AsSpan(0, count), adjacency, filled, d)))
                return null;
        }
        return adjacency;
    }

    private static bool Connected(int[] adjacency, int[] filled, int d, int u, int v)
    {
        var row = adjacency.AsSpan(u * d, filled[u]);
        return row.Contains(v);
    }

    /// <summary>True when two distinct leftover nodes are not yet neighbours (so pairing can still finish).</summary>
    private static bool AnyValidPair(ReadOnlySpan<int> stubs, int[] adjacency, int[] filled, int d)
    {
        var nodes = stubs.ToArray();
        Array.Sort(nodes);
        var distinct = nodes.Distinct().ToArray();
        for (var i = 0; i < distinct.Length; i++)
            for (var j = i + 1; j < distinct.Length; j++)
                if (!Connected(adjacency, filled, d, distinct[i], distinct[j])) return true;
        return false;
    }
}
