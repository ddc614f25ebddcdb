namespace SweetGossip.Protocol.Topics;

/// <summary>A point in WGS84 degrees. No range checking: <see cref="Geohash.Encode"/> checks ranges.</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude);

/// <summary>
/// A latitude/longitude rectangle in degrees, such as a geohash cell (<see cref="Geohash.Decode"/>).
/// </summary>
public readonly record struct GeoBox(double MinLatitude, double MinLongitude, double MaxLatitude, double MaxLongitude)
{
    /// <summary>The midpoint of the box. For a geohash cell it lies strictly inside the cell.</summary>
    public GeoPoint Center => new((MinLatitude + MaxLatitude) / 2, (MinLongitude + MaxLongitude) / 2);

    /// <summary>
    /// True when the point lies in the closed box (edges included). Neighbouring geohash cells share
    /// edges, so a point exactly on an edge is contained by both; <see cref="Geohash.Encode"/> assigns
    /// such a point to the northern/eastern cell (except at the +90 / +180 limits).
    /// </summary>
    public bool Contains(GeoPoint p) =>
        p.Latitude >= MinLatitude && p.Latitude <= MaxLatitude &&
        p.Longitude >= MinLongitude && p.Longitude <= MaxLongitude;
}

/// <summary>Compass directions for <see cref="Geohash.Neighbour"/>.</summary>
public enum GeohashDirection
{
    North,
    NorthEast,
    East,
    SouthEast,
    South,
    SouthWest,
    West,
    NorthWest,
}
