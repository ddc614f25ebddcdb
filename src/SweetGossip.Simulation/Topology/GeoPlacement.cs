using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Topology;

/// <summary>Seeded positions spread uniformly over a latitude/longitude box (e.g. a city).</summary>
public static class GeoPlacement
{
    /// <exception cref="ArgumentOutOfRangeException">Negative count, or a box that is empty or off the globe.</exception>
    public static GeoPoint[] Uniform(int count, GeoBox box, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckBox(box);
        var random = SeedStreams.Open(seed, "positions");
        var points = new GeoPoint[count];
        for (var i = 0; i < count; i++)
        {
            var lat = box.MinLatitude + random.NextDouble() * (box.MaxLatitude - box.MinLatitude);
            var lon = box.MinLongitude + random.NextDouble() * (box.MaxLongitude - box.MinLongitude);
            points[i] = new GeoPoint(lat, lon);
        }
        return points;
    }

    internal static void CheckBox(GeoBox box)
    {
        if (!(box.MinLatitude >= -90 && box.MaxLatitude <= 90 && box.MinLatitude < box.MaxLatitude))
            throw new ArgumentOutOfRangeException(nameof(box), box, "Latitudes must satisfy -90 ≤ min < max ≤ 90.");
        if (!(box.MinLongitude >= -180 && box.MaxLongitude <= 180 && box.MinLongitude < box.MaxLongitude))
            throw new ArgumentOutOfRangeException(nameof(box), box, "Longitudes must satisfy -180 ≤ min < max ≤ 180.");
    }
}
