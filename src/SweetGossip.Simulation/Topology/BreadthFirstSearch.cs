namespace SweetGossip.Simulation.Topology;

/// <summary>Hop distances in an unweighted graph.</summary>
public static class BreadthFirstSearch
{
    public const int Unreachable = -1;

    /// <summary>Hops from <paramref name="source"/> to every node; <see cref="Unreachable"/> where there is no path.</summary>
    public static int[] Distances(Graph graph, int source)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if ((uint)source >= (uint)graph.NodeCount)
            throw new ArgumentOutOfRangeException(nameof(source), source, $"Node ids are 0 to {graph.NodeCount - 1}.");
        var distance = new int[graph.NodeCount];
        Array.Fill(distance, Unreachable);
        var queue = new int[graph.NodeCount];
        int head = 0, tail = 0;
        queue[tail++] = source;
        distance[source] = 0;
        while (head < tail)
        {
            var node = queue[head++];
            foreach (var next in graph.Neighbours(node))
            {
                if (distance[next] != Unreachable) continue;
                distance[next] = distance[node] + 1;
                queue[tail++] = next;
            }
        }
        return distance;
    }

    /// <summary>The largest finite distance from <paramref name="source"/> (its eccentricity within its component).</summary>
    public static int Eccentricity(Graph graph, int source) => Distances(graph, source).Max();
}
