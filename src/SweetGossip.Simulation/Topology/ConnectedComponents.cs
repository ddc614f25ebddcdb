namespace SweetGossip.Simulation.Topology;

/// <summary>
/// Connected components: <see cref="ComponentOf"/>[node] is the component's number, components numbered
/// 0, 1, … in order of their smallest node id; <see cref="Sizes"/>[c] is component c's node count.
/// </summary>
public sealed record ConnectedComponents(int Count, IReadOnlyList<int> ComponentOf, IReadOnlyList<int> Sizes)
{
    public int LargestSize => Sizes.Count == 0 ? 0 : Sizes.Max();

    public static ConnectedComponents Of(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var component = new int[graph.NodeCount];
        Array.Fill(component, -1);
        var sizes = new List<int>();
        var queue = new int[graph.NodeCount];
        for (var start = 0; start < graph.NodeCount; start++)
        {
            if (component[start] >= 0) continue;
            var id = sizes.Count;
            int head = 0, tail = 0;
            queue[tail++] = start;
            component[start] = id;
            while (head < tail)
            {
                foreach (var next in graph.Neighbours(queue[head++]))
                {
                    if (component[next] >= 0) continue;
                    component[next] = id;
                    queue[tail++] = next;
                }
            }
            sizes.Add(tail);
        }
        return new ConnectedComponents(sizes.Count, component, sizes);
    }

    /// <summary>True when every node can reach every other (an empty or one-node graph is connected).</summary>
    public static bool IsConnected(Graph graph) => Of(graph).Count <= 1;
}
