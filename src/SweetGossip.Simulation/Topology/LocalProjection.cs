using SweetGossip.Protocol.Topics;

namespace SweetGossip.Simulation.Topology;

/// <summary>
/// Equirectangular projection to metres around an origin: x east, y north. Over a city-sized area
/// (tens of km) distances are within about 0.1 % of great-circle ones, and plane geometry makes
/// radius and nearest-neighbour searches exact and cheap. All geographic distances here use it.
/// </summary>
public readonly record struct LocalProjection(GeoPoint Origin)
{
    // Mean Earth radius (IUGG) × π / 180.
    public const double MetersPerDegree = 6_371_008.8 * Math.PI / 180.0;

    public (double X, double Y) ToMeters(GeoPoint point) =>
        ((point.Longitude - Origin.Longitude) * MetersPerDegree * Math.Cos(Origin.Latitude * Math.PI / 180.0),
         (point.Latitude - Origin.Latitude) * MetersPerDegree);

    public double DistanceMeters(GeoPoint a, GeoPoint b)
    {
        var (ax, ay) = ToMeters(a);
        var (bx, by) = ToMeters(b);
        return Math.Sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by));
    }

    /// <summary>The projection centred on a box.</summary>
    public static LocalProjection For(GeoBox box) => new(box.Center);
}
