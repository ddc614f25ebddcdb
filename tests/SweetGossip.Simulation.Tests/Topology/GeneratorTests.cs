using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Tests.Topology;

public class GeneratorTests
{
    private static readonly GeoBox Sydney = new(-33.8848, 151.1913, -33.8528, 151.2273);

    [Theory]
    [InlineData(50, 3)]
    [InlineData(1000, 8)]
    [InlineData(10, 9)]
    [InlineData(7, 0)]
    public void Random_regular_graphs_are_regular(int n, int d)
    {
        var g = RandomRegularGraph.Generate(n, d, seed: 11);
        Assert.Equal(n, g.NodeCount);
        Assert.Equal(n * d / 2, g.EdgeCount);
        Assert.All(Enumerable.Range(0, n), node => Assert.Equal(d, g.Degree(node)));
    }

    [Fact]
    public void Random_regular_graphs_depend_on_the_seed_only()
    {
        Assert.Equal(RandomRegularGraph.Generate(200, 4, 1), RandomRegularGraph.Generate(200, 4, 1));
        Assert.NotEqual(RandomRegularGraph.Generate(200, 4, 1), RandomRegularGraph.Generate(200, 4, 2));
    }

    [Fact]
    public void Impossible_regular_graphs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomRegularGraph.Generate(5, 3, 1)); // n·d odd
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomRegularGraph.Generate(4, 4, 1)); // d ≥ n
    }

    [Theory]
    [InlineData(2000, 0.004)]
    [InlineData(300, 0.1)]
    public void Erdos_Renyi_edge_counts_match_expectation(int n, double p)
    {
        var pairs = n * (n - 1.0) / 2;
        var mean = p * pairs;
        var sd = Math.Sqrt(pairs * p * (1 - p));
        foreach (var seed in new long[] { 1, 2, 3 })
            Assert.InRange(ErdosRenyiGraph.Generate(n, p, seed).EdgeCount, mean - 5 * sd, mean + 5 * sd);
    }

    [Fact]
    public void Erdos_Renyi_extremes_and_determinism()
    {
        Assert.Equal(0, ErdosRenyiGraph.Generate(100, 0, 1).EdgeCount);
        Assert.Equal(45, ErdosRenyiGraph.Generate(10, 1, 1).EdgeCount);
        Assert.Equal(ErdosRenyiGraph.Generate(500, 0.02, 9), ErdosRenyiGraph.Generate(500, 0.02, 9));
        Assert.NotEqual(ErdosRenyiGraph.Generate(500, 0.02, 9), ErdosRenyiGraph.Generate(500, 0.02, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErdosRenyiGraph.Generate(10, 1.5, 1));
    }

    [Theory]
    [InlineData(1000, 1)]
    [InlineData(2000, 3)]
    public void Barabasi_Albert_degree_sum_is_2mn_and_hubs_emerge(int n, int m)
    {
        var g = BarabasiAlbertGraph.Generate(n, m, seed: 5);
        var degreeSum = Enumerable.Range(0, n).Sum(g.Degree);
        Assert.Equal(2 * m * (n - m), degreeSum);
        Assert.InRange(degreeSum, 2.0 * m * n * 0.99, 2.0 * m * n);
        Assert.All(Enumerable.Range(m + 1, n - m - 1), node => Assert.True(g.Degree(node) >= m));
        Assert.True(DegreeHistogram.Of(g).MaxDegree > 5 * m, "preferential attachment makes hubs");
        Assert.True(ConnectedComponents.IsConnected(g));
        Assert.Equal(g, BarabasiAlbertGraph.Generate(n, m, seed: 5));
    }

    [Fact]
    public void Watts_Strogatz_without_rewiring_is_the_ring_lattice()
    {
        const int n = 30, k = 4;
        var g = WattsStrogatzGraph.Generate(n, k, 0, seed: 1);
        Assert.Equal(n * k / 2, g.EdgeCount);
        for (var u = 0; u < n; u++)
        {
            var expected = new[] { -2, -1, 1, 2 }.Select(d => ((u + d) % n + n) % n).Order().ToArray();
            Assert.Equal(expected, g.Neighbours(u).ToArray());
        }
    }

    [Fact]
    public void Watts_Strogatz_rewiring_keeps_the_edge_count_and_changes_the_ring()
    {
        var ring = WattsStrogatzGraph.Generate(500, 6, 0, seed: 3);
        var rewired = WattsStrogatzGraph.Generate(500, 6, 0.2, seed: 3);
        Assert.Equal(1500, rewired.EdgeCount);
        var moved = ring.Edges().Count(e => !rewired.HasEdge(e.A, e.B));
        Assert.InRange(moved, 1500 * 0.2 * 0.7, 1500 * 0.2 * 1.3);
        Assert.Equal(rewired, WattsStrogatzGraph.Generate(500, 6, 0.2, seed: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => WattsStrogatzGraph.Generate(10, 3, 0.1, 1));
    }

    [Fact]
    public void Geographic_radius_links_exactly_the_pairs_within_the_radius()
    {
        const double radius = 400;
        var placed = GeographicGraph.Generate(600, Sydney, radius, null, seed: 4);
        var g = placed.Graph;
        Assert.True(g.EdgeCount > 0);
        foreach (var (a, b) in g.Edges()) Assert.True(placed.DistanceMeters(a, b) <= radius);
        for (var a = 0; a < g.NodeCount; a++)
            for (var b = a + 1; b < g.NodeCount; b++)
                Assert.Equal(placed.DistanceMeters(a, b) <= radius, g.HasEdge(a, b));
        Assert.All(placed.Positions, p => Assert.True(Sydney.Contains(p)));
    }

    [Fact]
    public void Geographic_nearest_links_each_node_to_its_k_closest()
    {
        const int k = 3;
        var placed = GeographicGraph.Generate(400, Sydney, null, k, seed: 8);
        var g = placed.Graph;
        for (var a = 0; a < g.NodeCount; a++)
        {
            var nearest = Enumerable.Range(0, g.NodeCount).Where(b => b != a)
                .OrderBy(b => placed.DistanceMeters(a, b)).ThenBy(b => b).Take(k);
            Assert.All(nearest, b => Assert.True(g.HasEdge(a, b), $"{a} should link its near neighbour {b}"));
            Assert.True(g.Degree(a) >= k);
        }
    }

    [Fact]
    public void Geographic_graphs_depend_on_the_seed_only_and_the_distance_is_sane()
    {
        var a = GeographicGraph.Generate(300, Sydney, 300, 2, seed: 1);
        var b = GeographicGraph.Generate(300, Sydney, 300, 2, seed: 1);
        Assert.Equal(a.Graph, b.Graph);
        Assert.Equal(a.Positions, b.Positions);
        Assert.NotEqual(a.Graph, GeographicGraph.Generate(300, Sydney, 300, 2, seed: 2).Graph);

        // Box corners: 0.032° of latitude ≈ 3.56 km; 0.036° of longitude at -33.87° ≈ 3.32 km.
        var projection = LocalProjection.For(Sydney);
        Assert.InRange(projection.DistanceMeters(new GeoPoint(-33.8848, 151.2093), new GeoPoint(-33.8528, 151.2093)), 3550, 3570);
        Assert.InRange(projection.DistanceMeters(new GeoPoint(-33.8688, 151.1913), new GeoPoint(-33.8688, 151.2273)), 3310, 3335);
        Assert.Throws<ArgumentException>(() => GeographicGraph.Generate(10, Sydney, null, null, 1));
    }
}
