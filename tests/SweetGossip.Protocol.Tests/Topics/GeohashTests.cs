using SweetGossip.Protocol.Topics;

namespace SweetGossip.Protocol.Tests.Topics;

public class GeohashTests
{
    private const double MetersPerDegreeLongitudeAtEquator = 40_075_016.686 / 360.0;
    private const double MetersPerDegreeLatitude = 20_003_931.4586 / 180.0;

    // ------------------------------------------------------------------ known values

    [Theory]
    [InlineData(-33.8647, 151.2096, 7, "r3gx2g5")]        // whitepaper: Legal Services Council, Sydney
    [InlineData(57.64911, 10.40744, 11, "u4pruydqqvj")]   // the classic geohash example (Jutland)
    [InlineData(42.605, -5.603, 5, "ezs42")]              // worked by hand: lon bits 0111110000000, lat bits 101111001001
    [InlineData(0.0, 0.0, 1, "s")]                        // lon upper half (1,0,0), lat upper half (1,0) -> 11000
    [InlineData(0.0, 0.0, 12, "s00000000000")]            // then every later bisection picks the lower half
    [InlineData(-90.0, -180.0, 12, "000000000000")]       // south-west corner: all bits 0
    [InlineData(90.0, 180.0, 12, "zzzzzzzzzzzz")]         // north-east corner belongs to the last row/column
    [InlineData(-1e-9, -1e-9, 6, "7zzzzz")]               // just south-west of (0,0): 00111 then all ones
    [InlineData(0.0, 179.999, 1, "x")]                    // lon index 7 (111), lat index 2 (10) -> 11101
    [InlineData(0.0, -180.0, 1, "8")]                     // lon index 0 (000), lat index 2 (10) -> 01000
    public void Encode_known_values(double lat, double lon, int precision, string expected)
    {
        Assert.Equal(expected, Geohash.Encode(lat, lon, precision));
    }

    [Fact]
    public void Encode_is_prefix_consistent()
    {
        var full = Geohash.Encode(57.64911, 10.40744, 12);
        for (var p = 1; p <= 12; p++)
            Assert.Equal(full[..p], Geohash.Encode(57.64911, 10.40744, p));
    }

    [Theory]
    [InlineData(90.0001, 0.0, 5, "latitude")]
    [InlineData(-90.0001, 0.0, 5, "latitude")]
    [InlineData(double.NaN, 0.0, 5, "latitude")]
    [InlineData(0.0, 180.0001, 5, "longitude")]
    [InlineData(0.0, -180.0001, 5, "longitude")]
    [InlineData(0.0, double.PositiveInfinity, 5, "longitude")]
    [InlineData(0.0, 0.0, 0, "precision")]
    [InlineData(0.0, 0.0, 13, "precision")]
    public void Encode_rejects_out_of_range_arguments(double lat, double lon, int precision, string param)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Geohash.Encode(lat, lon, precision));
        Assert.Equal(param, ex.ParamName);
    }

    // ------------------------------------------------------------------ decode

    [Fact]
    public void Decode_whitepaper_cell_contains_the_point_and_is_about_153m()
    {
        var point = new GeoPoint(-33.8647, 151.2096);
        var box = Geohash.Decode("r3gx2g5");

        Assert.True(box.Contains(point));
        var widthAtEquator = (box.MaxLongitude - box.MinLongitude) * MetersPerDegreeLongitudeAtEquator;
        var height = (box.MaxLatitude - box.MinLatitude) * MetersPerDegreeLatitude;
        Assert.InRange(widthAtEquator, 152.0, 153.0);
        Assert.InRange(height, 152.0, 153.0);
    }

    [Fact]
    public void Decode_single_characters()
    {
        Assert.Equal(new GeoBox(-90, -180, -45, -135), Geohash.Decode("0"));
        Assert.Equal(new GeoBox(0, 0, 45, 45), Geohash.Decode("s"));
        Assert.Equal(new GeoBox(45, 135, 90, 180), Geohash.Decode("z"));
    }

    [Theory]
    [InlineData(-33.8647, 151.2096)]
    [InlineData(57.64911, 10.40744)]
    [InlineData(0.0, 0.0)]
    [InlineData(-89.99, 179.99)]
    [InlineData(89.99, -179.99)]
    public void Decoded_box_contains_the_point_and_has_the_tabulated_size(double lat, double lon)
    {
        var point = new GeoPoint(lat, lon);
        for (var p = 1; p <= Geohash.MaxPrecision; p++)
        {
            var box = Geohash.Decode(Geohash.Encode(lat, lon, p));
            Assert.True(box.Contains(point), $"precision {p}: {box} should contain {point}");

            var (width, height) = Geohash.CellSize(p);
            var boxWidth = (box.MaxLongitude - box.MinLongitude) * MetersPerDegreeLongitudeAtEquator;
            var boxHeight = (box.MaxLatitude - box.MinLatitude) * MetersPerDegreeLatitude;
            Assert.Equal(width, boxWidth, width * 1e-12);
            Assert.Equal(height, boxHeight, height * 1e-12);
        }
    }

    // Whitepaper's table, in metres.
    [Theory]
    [InlineData(1, 5_000_000.0, 5_000_000.0)]
    [InlineData(2, 1_250_000.0, 625_000.0)]
    [InlineData(3, 156_000.0, 156_000.0)]
    [InlineData(4, 39_100.0, 19_500.0)]
    [InlineData(5, 4_890.0, 4_890.0)]
    [InlineData(6, 1_220.0, 610.0)]
    [InlineData(7, 153.0, 153.0)]
    [InlineData(8, 38.2, 19.1)]
    [InlineData(9, 4.77, 4.77)]
    [InlineData(10, 1.19, 0.596)]
    [InlineData(11, 0.149, 0.149)]
    [InlineData(12, 0.0372, 0.0186)]
    public void CellSize_matches_the_whitepaper_table(int precision, double width, double height)
    {
        var size = Geohash.CellSize(precision);
        // The table rounds/truncates; 0.5% covers every row.
        Assert.InRange(size.WidthMeters, width * 0.995, width * 1.005);
        Assert.InRange(size.HeightMeters, height * 0.995, height * 1.005);
    }

    [Fact]
    public void Precision_7_is_the_first_below_200m_and_8_is_about_38m_by_19m()
    {
        Assert.True(Geohash.CellSize(6).WidthMeters > 200);
        Assert.True(Geohash.CellSize(7).WidthMeters < 200 && Geohash.CellSize(7).HeightMeters < 200);
        var (w8, h8) = Geohash.CellSize(8);
        Assert.InRange(w8, 38.0, 38.5);
        Assert.InRange(h8, 19.0, 19.2);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public void CellSize_rejects_bad_precision(int precision)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Geohash.CellSize(precision));
    }

    // ------------------------------------------------------------------ validity and errors

    [Theory]
    [InlineData("u1ab", 'a', 2)]
    [InlineData("i", 'i', 0)]
    [InlineData("u1l", 'l', 2)]
    [InlineData("r3gx2go", 'o', 6)]
    [InlineData("u1P", 'P', 2)]
    public void Decode_rejects_invalid_characters_naming_character_and_position(string geohash, char bad, int position)
    {
        Assert.False(Geohash.IsValid(geohash));
        var ex = Assert.Throws<FormatException>(() => Geohash.Decode(geohash));
        Assert.Contains($"'{bad}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"position {position}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uppercase_is_rejected_with_a_hint()
    {
        Assert.True(Geohash.IsValid("u1pb"));
        Assert.False(Geohash.IsValid("U1PB"));
        var ex = Assert.Throws<FormatException>(() => Geohash.Decode("U1PB"));
        Assert.Contains("position 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("lowercase", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_lengths_and_null_are_rejected()
    {
        Assert.False(Geohash.IsValid(""));
        Assert.False(Geohash.IsValid("0123456789bcd"));
        Assert.False(Geohash.IsValid(null!));
        Assert.True(Geohash.IsValid("0123456789bc"));
        Assert.Throws<FormatException>(() => Geohash.Decode(""));
        Assert.Throws<FormatException>(() => Geohash.Decode("0123456789bcd"));
        Assert.Throws<ArgumentNullException>(() => Geohash.Decode(null!));
        Assert.Throws<FormatException>(() => Geohash.Neighbour("u1a", GeohashDirection.North));
    }

    [Fact]
    public void Every_alphabet_character_is_valid_and_others_are_not()
    {
        for (var c = (char)0; c < 256; c++)
            Assert.Equal(Geohash.Alphabet.Contains(c, StringComparison.Ordinal), Geohash.IsValid(c.ToString()));
    }

    // ------------------------------------------------------------------ neighbours

    // Worked by hand: u1pb has lon index 543 and lat index 800 (10 bits each); re-interleaving
    // (543±1, 800±1) gives these. Cross-checked below by decoding.
    [Fact]
    public void Neighbours_of_u1pb()
    {
        Assert.Equal(
            new[] { "u1pc", "u301", "u300", "u2bp", "u0zz", "u0zx", "u1p8", "u1p9" },
            Geohash.Neighbours("u1pb"));
        Assert.Equal("u300", Geohash.Neighbour("u1pb", GeohashDirection.East));
        Assert.Equal("u0zx", Geohash.Neighbour("u1pb", GeohashDirection.SouthWest));
    }

    [Theory]
    [InlineData("u1pb")]
    [InlineData("r3gx2g5")]
    [InlineData("s00000000000")]
    [InlineData("7zzzzz")]
    [InlineData("ezs42")]
    public void Every_neighbour_box_is_adjacent_in_its_direction(string geohash)
    {
        var box = Geohash.Decode(geohash);
        var neighbours = Geohash.Neighbours(geohash);
        Assert.Equal(8, neighbours.Count);
        Assert.Equal(8, neighbours.Distinct().Count());

        for (var i = 0; i < 8; i++)
        {
            var direction = (GeohashDirection)i;
            var n = neighbours[i];
            Assert.Equal(geohash.Length, n.Length);
            Assert.Equal(n, Geohash.Neighbour(geohash, direction));
            AssertAdjacent(box, Geohash.Decode(n), direction);
        }
    }

    private static void AssertAdjacent(GeoBox box, GeoBox n, GeohashDirection direction)
    {
        // Same size.
        Assert.Equal(box.MaxLatitude - box.MinLatitude, n.MaxLatitude - n.MinLatitude, 1e-12);
        Assert.Equal(box.MaxLongitude - box.MinLongitude, n.MaxLongitude - n.MinLongitude, 1e-12);

        var (dLat, dLon) = direction switch
        {
            GeohashDirection.North => (1, 0),
            GeohashDirection.NorthEast => (1, 1),
            GeohashDirection.East => (0, 1),
            GeohashDirection.SouthEast => (-1, 1),
            GeohashDirection.South => (-1, 0),
            GeohashDirection.SouthWest => (-1, -1),
            GeohashDirection.West => (0, -1),
            _ => (1, -1),
        };
        switch (dLat)
        {
            case 1: Assert.Equal(box.MaxLatitude, n.MinLatitude); break;    // shares the north edge
            case -1: Assert.Equal(box.MinLatitude, n.MaxLatitude); break;   // shares the south edge
            default: Assert.Equal(box.MinLatitude, n.MinLatitude); break;   // same row
        }
        switch (dLon)
        {
            case 1: Assert.Equal(box.MaxLongitude, n.MinLongitude); break;
            case -1: Assert.Equal(box.MinLongitude, n.MaxLongitude); break;
            default: Assert.Equal(box.MinLongitude, n.MinLongitude); break;
        }
    }

    [Fact]
    public void East_of_the_antimeridian_wraps_to_minus_180()
    {
        Assert.Equal("8", Geohash.Neighbour("x", GeohashDirection.East));
        Assert.Equal("x", Geohash.Neighbour("8", GeohashDirection.West));

        var eastEdge = Geohash.Encode(10.0, 179.9999, 6);
        var westEdge = Geohash.Encode(10.0, -179.9999, 6);
        Assert.Equal(180.0, Geohash.Decode(eastEdge).MaxLongitude);
        Assert.Equal(-180.0, Geohash.Decode(westEdge).MinLongitude);
        Assert.Equal(westEdge, Geohash.Neighbour(eastEdge, GeohashDirection.East));
        Assert.Equal(eastEdge, Geohash.Neighbour(westEdge, GeohashDirection.West));

        var northEast = Geohash.Decode(Geohash.Neighbour(eastEdge, GeohashDirection.NorthEast));
        Assert.Equal(-180.0, northEast.MinLongitude);
        Assert.Equal(Geohash.Decode(eastEdge).MaxLatitude, northEast.MinLatitude);
    }

    [Fact]
    public void At_the_poles_the_latitude_step_is_clamped_to_the_same_row()
    {
        // "b" is the top-left cell (lat 45..90, lon -180..-135).
        Assert.Equal("b", Geohash.Neighbour("b", GeohashDirection.North));
        Assert.Equal("c", Geohash.Neighbour("b", GeohashDirection.NorthEast));   // = East
        Assert.Equal("z", Geohash.Neighbour("b", GeohashDirection.NorthWest));   // = West, wrapped
        Assert.Equal("0", Geohash.Neighbour("0", GeohashDirection.South));

        var top = Geohash.Encode(89.9999, 0.0, 8);
        Assert.Equal(90.0, Geohash.Decode(top).MaxLatitude);
        Assert.Equal(top, Geohash.Neighbour(top, GeohashDirection.North));
        Assert.Equal(Geohash.Neighbour(top, GeohashDirection.East), Geohash.Neighbour(top, GeohashDirection.NorthEast));
    }

    // ------------------------------------------------------------------ covers

    [Fact]
    public void Covers_is_prefix_containment()
    {
        Assert.True(Geohash.Covers("r3g", "r3gx2g5"));
        Assert.True(Geohash.Covers("r3gx2g5", "r3gx2g5"));
        Assert.True(Geohash.Covers("r", "r3gx2g5"));
        Assert.False(Geohash.Covers("r3gx2g5", "r3g"));    // smaller area does not cover a bigger cell
        Assert.False(Geohash.Covers("r3h", "r3gx2g5"));
        Assert.False(Geohash.Covers("u", "r3gx2g5"));
        Assert.Throws<FormatException>(() => Geohash.Covers("R3G", "r3gx2g5"));
        Assert.Throws<FormatException>(() => Geohash.Covers("", "r3gx2g5"));
        Assert.Throws<ArgumentNullException>(() => Geohash.Covers("r3g", null!));
    }

    [Fact]
    public void Covered_cell_box_lies_inside_the_area_box()
    {
        var area = Geohash.Decode("r3g");
        var cell = Geohash.Decode("r3gx2g5");
        Assert.True(area.Contains(new GeoPoint(cell.MinLatitude, cell.MinLongitude)));
        Assert.True(area.Contains(new GeoPoint(cell.MaxLatitude, cell.MaxLongitude)));
    }

    [Fact]
    public void GeoBox_center_and_contains()
    {
        var box = new GeoBox(0, 0, 45, 45);
        Assert.Equal(new GeoPoint(22.5, 22.5), box.Center);
        Assert.True(box.Contains(new GeoPoint(0, 45)));      // closed: edges included
        Assert.False(box.Contains(new GeoPoint(-0.0001, 10)));
        Assert.False(box.Contains(new GeoPoint(10, 45.0001)));
    }
}
