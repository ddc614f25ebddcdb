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
}
