using SweetGossip.Protocol.Topics;

namespace SweetGossip.Simulation.Topology;

/// <summary>Builds the graph a <see cref="TopologySpec"/> describes.</summary>
public static class TopologyFactory
{
    /// <param name="positions">
    /// The peers' positions (one per node). A geographic topology links these very positions, so peers
    /// are neighbours of the peers physically near them; other kinds ignore them.
    /// </param>
    /// <param name="baseDirectory">Where a relative <see cref="TopologySpec.EdgeListPath"/> is resolved (e.g. the config file's folder).</param>
    /// <exception cref="ArgumentException">A parameter the kind needs is missing, or a file has another node count.</exception>
    public static Graph Build(TopologySpec spec, IReadOnlyList<GeoPoint> positions, LocalProjection projection, long seed, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(positions);
        var n = positions.Count;
        return spec.Kind switch
        {
            TopologyKind.RandomRegular => RandomRegularGraph.Generate(n, Need(spec.Degree, "degree"), seed),
            TopologyKind.ErdosRenyi => ErdosRenyiGraph.Generate(n, Need(spec.EdgeProbability, "edgeProbability"), seed),
            TopologyKind.BarabasiAlbert => BarabasiAlbertGraph.Generate(n, Need(spec.AttachEdges, "attachEdges"), seed),
            TopologyKind.WattsStrogatz => WattsStrogatzGraph.Generate(n, Need(spec.RingNeighbours, "ringNeighbours"), Need(spec.RewireProbability, "rewireProbability"), seed),
            TopologyKind.Geographic => GeographicGraph.Connect(positions, projection, spec.RadiusMeters, spec.NearestNeighbours).Graph,
            TopologyKind.EdgeListFile => FromFile(spec, n, baseDirectory),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "Unknown topology kind."),
        };
    }

    private static Graph FromFile(TopologySpec spec, int nodeCount, string? baseDirectory)
    {
        var path = Need(spec.EdgeListPath, "edgeListPath");
        if (baseDirectory is not null && !Path.IsPathRooted(path)) path = Path.Combine(baseDirectory, path);
        var graph = EdgeListFile.Read(path);
        if (graph.NodeCount != nodeCount)
            throw new ArgumentException($"{path} has {graph.NodeCount} nodes but the scenario has {nodeCount} peers.", nameof(spec));
        return graph;
    }

    private static T Need<T>(T? value, string name) where T : struct =>
        value ?? throw new ArgumentException($"topology.{name} is required for this topology kind.", name);

    private static string Need(string? value, string name) =>
        value ?? throw new ArgumentException($"topology.{name} is required for this topology kind.", name);
}
