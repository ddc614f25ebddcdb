namespace SweetGossip.Simulation.Topology;

/// <summary>How many nodes have each degree: <see cref="Counts"/>[d] nodes of degree d, d = 0 … max degree.</summary>
public sealed record DegreeHistogram(IReadOnlyList<int> Counts)
{
    public int MaxDegree => Counts.Count - 1;

    public double MeanDegree
    {
        get
        {
            long nodes = 0, sum = 0;
            for (var d = 0; d < Counts.Count; d++)
            {
                nodes += Counts[d];
                sum += (long)d * Counts[d];
            }
            return nodes == 0 ? 0 : (double)sum / nodes;
        }
    }

    public static DegreeHistogram Of(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var max = 0;
        for (var n = 0; n < graph.NodeCount; n++) max = Math.Max(max, graph.Degree(n));
        var counts = new int[graph.NodeCount == 0 ? 0 : max + 1];
        for (var n = 0; n < graph.NodeCount; n++) counts[graph.Degree(n)]++;
        return new DegreeHistogram(counts);
    }
}
