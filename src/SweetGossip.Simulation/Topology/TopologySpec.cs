namespace SweetGossip.Simulation.Topology;

/// <summary>
/// How to build the peer graph. Only the parameters of <see cref="Kind"/> are set; the validator rejects
/// the others, so a parameter meant for another generator is not silently ignored:
/// RandomRegular: <see cref="Degree"/>; ErdosRenyi: <see cref="EdgeProbability"/>; BarabasiAlbert:
/// <see cref="AttachEdges"/> (m); WattsStrogatz: <see cref="RingNeighbours"/> (k, even) and
/// <see cref="RewireProbability"/> (β); Geographic: <see cref="RadiusMeters"/> and/or
/// <see cref="NearestNeighbours"/>; EdgeListFile: <see cref="EdgeListPath"/> (relative paths are
/// resolved by the caller).
/// </summary>
public sealed record TopologySpec
{
    public required TopologyKind Kind { get; init; }
    public int? Degree { get; init; }
    public double? EdgeProbability { get; init; }
    public int? AttachEdges { get; init; }
    public int? RingNeighbours { get; init; }
    public double? RewireProbability { get; init; }
    public double? RadiusMeters { get; init; }
    public int? NearestNeighbours { get; init; }
    public string? EdgeListPath { get; init; }

    public static TopologySpec RandomRegular(int degree) => new() { Kind = TopologyKind.RandomRegular, Degree = degree };
    public static TopologySpec ErdosRenyi(double p) => new() { Kind = TopologyKind.ErdosRenyi, EdgeProbability = p };
    public static TopologySpec BarabasiAlbert(int m) => new() { Kind = TopologyKind.BarabasiAlbert, AttachEdges = m };
    public static TopologySpec WattsStrogatz(int k, double beta) => new() { Kind = TopologyKind.WattsStrogatz, RingNeighbours = k, RewireProbability = beta };
    public static TopologySpec Geographic(double? radiusMeters, int? nearest) => new() { Kind = TopologyKind.Geographic, RadiusMeters = radiusMeters, NearestNeighbours = nearest };
    public static TopologySpec FromFile(string path) => new() { Kind = TopologyKind.EdgeListFile, EdgeListPath = path };
}
