using SweetGossip.Protocol.Topics;

namespace SweetGossip.Simulation.Scenario;

/// <summary>The area peers live in: a named latitude/longitude box (degrees, WGS84).</summary>
public sealed record CityBox
{
    public string Name { get; init; } = "Sydney CBD";
    public double MinLatitude { get; init; } = -33.8848;
    public double MinLongitude { get; init; } = 151.1913;
    public double MaxLatitude { get; init; } = -33.8528;
    public double MaxLongitude { get; init; } = 151.2273;

    /// <summary>Sydney's central business district: about 3.3 km × 3.6 km around (-33.8688, 151.2093).</summary>
    public static CityBox SydneyCbd { get; } = new();

    /// <summary>A box of the given size in metres centred on a point.</summary>
    public static CityBox Around(string name, double latitude, double longitude, double widthMeters, double heightMeters)
    {
        var halfLat = heightMeters / 2 / Topology.LocalProjection.MetersPerDegree;
        var halfLon = widthMeters / 2 / (Topology.LocalProjection.MetersPerDegree * Math.Cos(latitude * Math.PI / 180));
        return new CityBox
        {
            Name = name,
            MinLatitude = latitude - halfLat,
            MaxLatitude = latitude + halfLat,
            MinLongitude = longitude - halfLon,
            MaxLongitude = longitude + halfLon,
        };
    }

    public GeoBox ToGeoBox() => new(MinLatitude, MinLongitude, MaxLatitude, MaxLongitude);
}
