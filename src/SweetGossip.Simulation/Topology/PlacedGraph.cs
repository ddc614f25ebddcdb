using SweetGossip.Protocol.Topics;

namespace SweetGossip.Simulation.Topology;

/// <summary>A graph whose nodes have positions (node i at <see cref="Positions"/>[i]).</summary>
public sealed record PlacedGraph(Graph Graph, IReadOnlyList<GeoPoint> Positions, LocalProjection Projection)
{
    public double DistanceMeters(int a, int b) => Projection.DistanceMeters(Positions[a], Positions[b]);
}
