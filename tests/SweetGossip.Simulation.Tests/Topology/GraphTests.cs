using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Tests.Topology;

public class GraphTests
{
    [Fact]
    public void Builder_merges_duplicates_sorts_neighbours_and_answers_edge_queries()
    {
        var g = Graph.FromEdges(5, [(3, 1), (1, 3), (0, 3), (4, 3), (2, 3), (0, 1)]);
        Assert.Equal(5, g.NodeCount);
        Assert.Equal(5, g.EdgeCount);
        Assert.Equal([0, 1, 2, 4], g.Neighbours(3).ToArray());
        Assert.Equal(4, g.Degree(3));
        Assert.True(g.HasEdge(1, 3));
        Assert.True(g.HasEdge(3, 1));
        Assert.False(g.HasEdge(2, 4));
        Assert.Equal([(0, 1), (0, 3), (1, 3), (2, 3), (3, 4)], g.Edges().ToArray());
    }

    [Fact]
    public void Self_loops_and_unknown_nodes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Graph.FromEdges(3, [(1, 1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Graph.FromEdges(3, [(1, 3)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Graph.FromEdges(3, [(-1, 2)]));
    }

    [Fact]
    public void Graphs_with_the_same_edges_are_equal_whatever_the_insertion_order()
    {
        var a = Graph.FromEdges(4, [(0, 1), (2, 3), (1, 2)]);
        var b = Graph.FromEdges(4, [(3, 2), (2, 1), (1, 0)]);
        Assert.Equal(a, b);
        Assert.NotEqual(a, Graph.FromEdges(4, [(0, 1), (2, 3)]));
    }

    [Property(MaxTest = 200)]
    public Property Every_edge_is_seen_from_both_ends_and_degrees_sum_to_twice_the_edges()
    {
        var edges = Gen.Choose(0, 19).Two().Where(p => p.Item1 != p.Item2).ListOf();
        return Prop.ForAll(edges.ToArbitrary(), list =>
        {
            var g = Graph.FromEdges(20, list.Select(p => (p.Item1, p.Item2)));
            var distinct = list.Select(p => (Math.Min(p.Item1, p.Item2), Math.Max(p.Item1, p.Item2))).Distinct().Count();
            var degreeSum = Enumerable.Range(0, 20).Sum(g.Degree);
            return g.EdgeCount == distinct
                && degreeSum == 2 * distinct
                && list.All(p => g.HasEdge(p.Item1, p.Item2) && g.HasEdge(p.Item2, p.Item1))
                && Enumerable.Range(0, 20).All(n => g.Neighbours(n).ToArray().SequenceEqual(g.Neighbours(n).ToArray().Order()));
        });
    }
}
