using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Tests.Topology;

public class AnalysisTests
{
    // 0-1-2-3 path, 4-5 pair, 6 alone.
    private static readonly Graph Sample = Graph.FromEdges(7, [(0, 1), (1, 2), (2, 3), (4, 5)]);

    [Fact]
    public void Components_are_numbered_by_smallest_node()
    {
        var c = ConnectedComponents.Of(Sample);
        Assert.Equal(3, c.Count);
        Assert.Equal([0, 0, 0, 0, 1, 1, 2], c.ComponentOf);
        Assert.Equal([4, 2, 1], c.Sizes);
        Assert.Equal(4, c.LargestSize);
        Assert.False(ConnectedComponents.IsConnected(Sample));
        Assert.True(ConnectedComponents.IsConnected(Graph.FromEdges(3, [(0, 1), (1, 2)])));
        Assert.True(ConnectedComponents.IsConnected(Graph.FromEdges(1, [])));
    }

    [Fact]
    public void Breadth_first_distances_count_hops_and_mark_the_unreachable()
    {
        Assert.Equal([2, 1, 0, 1, -1, -1, -1], BreadthFirstSearch.Distances(Sample, 2));
        Assert.Equal(3, BreadthFirstSearch.Eccentricity(Sample, 0));
        var ring = WattsStrogatzGraph.Generate(10, 2, 0, 1);
        Assert.Equal(5, BreadthFirstSearch.Eccentricity(ring, 0));
    }

    [Fact]
    public void Degree_histogram_counts_nodes_per_degree()
    {
        var h = DegreeHistogram.Of(Sample);
        Assert.Equal([1, 4, 2], h.Counts); // one isolated, four of degree 1 (0, 3, 4, 5), two of degree 2
        Assert.Equal(2, h.MaxDegree);
        Assert.Equal(8.0 / 7, h.MeanDegree, 12);
    }
}
