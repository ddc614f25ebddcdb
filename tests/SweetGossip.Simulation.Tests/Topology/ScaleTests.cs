using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Tests.Topology;

public class ScaleTests
{
    [Fact]
    public void A_100k_node_random_regular_graph_of_degree_8_can_be_generated()
    {
        var g = RandomRegularGraph.Generate(100_000, 8, seed: 2024);
        Assert.Equal(100_000, g.NodeCount);
        Assert.Equal(400_000, g.EdgeCount);
        Assert.Equal(100_000, DegreeHistogram.Of(g).Counts[8]);
        Assert.True(ConnectedComponents.IsConnected(g));
    }

    [Fact]
    public void Other_generators_handle_100k_nodes_too()
    {
        // Guards against accidental quadratic behaviour (a badly hashed edge set once took minutes here).
        Assert.Equal(400_000, WattsStrogatzGraph.Generate(100_000, 8, 0.1, seed: 1).EdgeCount);
        Assert.Equal(4 * (100_000 - 4), BarabasiAlbertGraph.Generate(100_000, 4, seed: 1).EdgeCount);
        var box = new SweetGossip.Protocol.Topics.GeoBox(-33.8848, 151.1913, -33.8528, 151.2273);
        var geo = GeographicGraph.Generate(100_000, box, null, 6, seed: 1).Graph;
        Assert.Equal(100_000, geo.NodeCount);
        Assert.True(Enumerable.Range(0, geo.NodeCount).All(n => geo.Degree(n) >= 6));
    }
}

