using SweetGossip.Simulation.Tests.Support;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Tests.Topology;

public class EdgeListFileTests
{
    [Fact]
    public void A_graph_survives_a_round_trip_through_a_file_isolated_nodes_included()
    {
        using var folder = new TempFolder();
        var graph = Graph.FromEdges(10, [(0, 1), (1, 2), (5, 7)]); // 3, 4, 6, 8, 9 isolated
        EdgeListFile.Write(graph, folder.File("g.txt"));
        Assert.Equal(graph, EdgeListFile.Read(folder.File("g.txt")));

        var big = RandomRegularGraph.Generate(300, 6, 1);
        EdgeListFile.Write(big, folder.File("big.txt"));
        Assert.Equal(big, EdgeListFile.Read(folder.File("big.txt")));
    }

    [Fact]
    public void Comments_blank_lines_tabs_and_duplicate_edges_are_accepted()
    {
        const string text = "# a comment\n\n0 1\n1\t2   # trailing comment\n  2 0\n1 0\n";
        var g = EdgeListFile.Read(new StringReader(text));
        Assert.Equal(3, g.NodeCount);
        Assert.Equal(3, g.EdgeCount);
    }

    [Fact]
    public void The_writer_produces_the_documented_format()
    {
        var writer = new StringWriter();
        EdgeListFile.Write(Graph.FromEdges(3, [(2, 0)]), writer);
        Assert.Equal("# SweetGossip edge list: one undirected edge \"a b\" per line\n# nodes: 3\n# edges: 1\n0 2\n", writer.ToString());
    }

    [Theory]
    [InlineData("0 1\n1 x\n", 2, "\"x\" is not a node id")]
    [InlineData("0 1\n\n1 2 3\n", 3, "expected two node ids")]
    [InlineData("# c\n4 4\n", 2, "self-loop on node 4")]
    [InlineData("0 1\n-1 2\n", 2, "\"-1\" is not a node id")]
    [InlineData("# nodes: 3\n0 1\n1 5\n", 3, "node id 5 is not below the declared node count 3")]
    [InlineData("# nodes: many\n0 1\n", 1, "node count is not a non-negative integer")]
    [InlineData("7\n", 1, "expected two node ids")]
    public void Bad_lines_are_errors_naming_the_line(string text, int line, string problem)
    {
        var e = Assert.Throws<EdgeListFormatException>(() => EdgeListFile.Read(new StringReader(text), "peers.txt"));
        Assert.Equal(line, e.LineNumber);
        Assert.Contains(problem, e.Message);
        Assert.StartsWith($"peers.txt, line {line}:", e.Message);
    }
}
