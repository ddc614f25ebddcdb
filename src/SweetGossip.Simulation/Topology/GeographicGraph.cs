using SweetGossip.Protocol.Topics;

namespace SweetGossip.Simulation.Topology;

/// <summary>
/// Geographic graphs: peers at positions, linked to the peers near them (phones that meet on the same
/// street, or a mesh of nearby devices). Two rules, usable together (the edges are their union):
/// every pair within <c>radiusMeters</c>, and each node to its <c>nearest</c> closest nodes.
/// </summary>
/// <remarks>
/// Distances are in the box's <see cref="LocalProjection"/>. A uniform grid of cells makes each query
/// look at nearby cells only, so 100,000 nodes take well under a second at city densities.
/// Ties in distance go to the lower node id, so the graph never depends on sort stability.
/// A radius alone can leave isolated nodes; check with <see cref="ConnectedComponents"/>.
/// </remarks>
public static class GeographicGraph
{
    /// <summary>Places <paramref name="nodeCount"/> nodes uniformly in <paramref name="box"/> and links them.</summary>
    public static PlacedGraph Generate(int nodeCount, GeoBox box, double? radiusMeters, int? nearest, long seed) =>
        Connect(GeoPlacement.Uniform(nodeCount, box, seed), LocalProjection.For(box), radiusMeters, nearest);

    /// <summary>Links nodes at the given positions. Deterministic: no randomness is used.</summary>
    /// <exception cref="ArgumentException">Neither rule given.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Radius not positive and finite, or nearest &lt; 1.</exception>
    public static PlacedGraph Connect(IReadOnlyList<GeoPoint> positions, LocalProjection projection, double? radiusMeters, int? nearest)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (radiusMeters is null && nearest is null)
            throw new ArgumentException("Give a radius, a nearest-neighbour count, or both.", nameof(radiusMeters));
        if (radiusMeters is { } r && !(r > 0 && double.IsFinite(r)))
            throw new ArgumentOutOfRangeException(nameof(radiusMeters), radiusMeters, "Radius must be positive and finite.");
        if (nearest is < 1)
            throw new ArgumentOutOfRangeException(nameof(nearest), nearest, "Nearest-neighbour count must be at least 1.");

        var n = positions.Count;
        var xs = new double[n];
        var ys = new double[n];
        for (var i = 0; i < n; i++) (xs[i], ys[i]) = projection.ToMeters(positions[i]);

        var builder = new GraphBuilder(n);
        if (radiusMeters is { } radius) LinkWithinRadius(builder, SpatialGrid.Build(xs, ys, radius), xs, ys, radius);
        if (nearest is { } k) LinkNearest(builder, SpatialGrid.Build(xs, ys), xs, ys, Math.Min(k, n - 1));
        return new PlacedGraph(builder.Build(), positions.ToArray(), projection);
    }

    private static void LinkWithinRadius(GraphBuilder builder, SpatialGrid grid, double[] xs, double[] ys, double radius)
    {
        var reach = (int)Math.Ceiling(radius / grid.CellSize);
        var radiusSquared = radius * radius;
        for (var i = 0; i < xs.Length; i++)
        {
            var (cx, cy) = grid.CellOf(xs[i], ys[i]);
            for (var gy = cy - reach; gy <= cy + reach; gy++)
                for (var gx = cx - reach; gx <= cx + reach; gx++)
                    foreach (var j in grid.Cell(gx, gy))
                        if (j > i && DistanceSquared(xs, ys, i, j) <= radiusSquared) builder.AddEdge(i, j);
        }
    }

    private static void LinkNearest(GraphBuilder builder, SpatialGrid grid, double[] xs, double[] ys, int k)
    {
        if (k < 1) return;
        var candidates = new List<(double Distance, int Node)>();
        for (var i = 0; i < xs.Length; i++)
        {
            candidates.Clear();
            var (cx, cy) = grid.CellOf(xs[i], ys[i]);
            for (var ring = 0; ; ring++)
            {
                foreach (var (gx, gy) in Ring(cx, cy, ring))
                    foreach (var j in grid.Cell(gx, gy))
                        if (j != i) candidates.Add((DistanceSquared(xs, ys, i, j), j));

                // Any node in a ring further out is at least ring·cellSize away from node i.
                var bound = (double)ring * grid.CellSize;
                if (candidates.Count >= k)
                {
                    candidates.Sort();
                    if (candidates[k - 1].Distance <= bound * bound) break;
                }
                if (ring > grid.Width + grid.Height) break; // every cell seen
            }
            candidates.Sort();
            for (var t = 0; t < k && t < candidates.Count; t++) builder.AddEdge(i, candidates[t].Node);
        }
    }

    private static IEnumerable<(int X, int Y)> Ring(int cx, int cy, int ring)
    {
        if (ring == 0)
        {
            yield return (cx, cy);
            yield break;
        }
        for (var x = cx - ring; x <= cx + ring; x++)
        {
            yield return (x, cy - ring);
            yield return (x, cy + ring);
        }
        for (var y = cy - ring + 1; y <= cy + ring - 1; y++)
        {
            yield return (cx - ring, y);
            yield return (cx + ring, y);
        }
    }

    private static double DistanceSquared(double[] xs, double[] ys, int a, int b)
    {
        var dx = xs[a] - xs[b];
        var dy = ys[a] - ys[b];
        return dx * dx + dy * dy;
    }
}
