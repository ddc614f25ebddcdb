using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SweetGossip.Protocol.Topics;

namespace SweetGossip.Protocol.Tests.Topics;

public class GeohashPropertyTests
{
    // A double uniformly in [min, max] with ~62 bits of resolution, mixed with the range's edge values.
    private static Gen<double> Coordinate(double min, double max)
    {
        var uniform = Gen.Choose(0, int.MaxValue).Zip(Gen.Choose(0, int.MaxValue),
            (hi, lo) => min + (max - min) * ((hi * 2147483648.0 + lo) / 4611686018427387904.0));
        var edges = Gen.Elements(min, max, 0.0, (min + max) / 2, -1e-12, 1e-12);
        return Gen.Frequency((9, uniform), (1, edges));
    }

    private static readonly Arbitrary<(double Lat, double Lon, int Precision)> Points =
        Coordinate(-90, 90)
            .Zip(Coordinate(-180, 180))
            .Zip(Gen.Choose(1, Geohash.MaxPrecision), (ll, p) => (ll.Item1, ll.Item2, p))
            .ToArbitrary();

    [Property(MaxTest = 2000)]
    public Property Encode_decode_center_reencodes_to_the_same_hash() =>
        Prop.ForAll(Points, t =>
        {
            var hash = Geohash.Encode(t.Lat, t.Lon, t.Precision);
            var box = Geohash.Decode(hash);
            return hash.Length == t.Precision
                && Geohash.IsValid(hash)
                && box.Contains(new GeoPoint(t.Lat, t.Lon))
                && Geohash.Encode(box.Center.Latitude, box.Center.Longitude, t.Precision) == hash;
        });

    [Property(MaxTest = 500)]
    public Property Neighbour_then_opposite_returns_home_away_from_the_poles() =>
        Prop.ForAll(Points, t =>
        {
            var hash = Geohash.Encode(t.Lat, t.Lon, t.Precision);
            var box = Geohash.Decode(hash);
            var awayFromPoles = box.MaxLatitude < 90 && box.MinLatitude > -90;
            return Prop.When(awayFromPoles, () =>
                Enumerable.Range(0, 8).All(i =>
                {
                    var there = Geohash.Neighbour(hash, (GeohashDirection)i);
                    var back = Geohash.Neighbour(there, (GeohashDirection)((i + 4) % 8));
                    return back == hash && there != hash;
                }));
        });
}
