namespace SweetGossip.Protocol.Topics;

/// <summary>
/// Geohash encoding (base32, alphabet <see cref="Alphabet"/>), as used by topics to name a rectangular
/// area without revealing an exact location.
/// </summary>
/// <remarks>
/// <para>
/// A geohash of <c>p</c> characters carries <c>5p</c> bits. Reading them most-significant first, the
/// even-numbered bits (0, 2, 4, …) halve the longitude range [-180, 180] and the odd-numbered bits halve the
/// latitude range [-90, 90]; a 1 picks the upper half. So there are <c>ceil(5p/2)</c> longitude bits and
/// <c>floor(5p/2)</c> latitude bits, and every cell's edges are exact binary fractions of the ranges
/// (computed here without rounding error).
/// </para>
/// <para>
/// Case: only the canonical lowercase alphabet is accepted. Uppercase characters are rejected
/// (<see cref="IsValid"/> is false, <see cref="Decode"/> throws) rather than folded, so that a topic has
/// exactly one spelling on the wire and two equal areas always compare equal as strings.
/// </para>
/// <para>
/// Lengths: 1 to <see cref="MaxPrecision"/> characters; the empty string is not a geohash.
/// </para>
/// </remarks>
public static class Geohash
{
    public const int MaxPrecision = 12;
    public const string Alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";

    // WGS84 equatorial circumference / 360: length of one degree of longitude at the equator.
    private const double MetersPerDegreeLongitudeAtEquator = 40_075_016.686 / 360.0;

    // WGS84 meridian length (pole to pole) / 180: mean length of one degree of latitude.
    private const double MetersPerDegreeLatitude = 20_003_931.4586 / 180.0;

    private static readonly sbyte[] DecodeMap = BuildDecodeMap();

    private static sbyte[] BuildDecodeMap()
    {
        var map = new sbyte[128];
        Array.Fill(map, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
            map[Alphabet[i]] = (sbyte)i;
        return map;
    }

    /// <summary>
    /// Encodes a point as a geohash of <paramref name="precision"/> characters. A point exactly on a cell
    /// edge goes to the northern/eastern cell; latitude 90 and longitude 180 go to the last row/column.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// Latitude outside [-90, 90], longitude outside [-180, 180] (NaN included), or precision outside
    /// [1, <see cref="MaxPrecision"/>].
    /// </exception>
    public static string Encode(double latitude, double longitude, int precision)
    {
        if (!(latitude >= -90.0 && latitude <= 90.0))
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "Latitude must be in [-90, 90].");
        if (!(longitude >= -180.0 && longitude <= 180.0))
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "Longitude must be in [-180, 180].");
        CheckPrecision(precision);

        var (lonBits, latBits) = BitCounts(precision);
        var x = Bisect(longitude, -180.0, 180.0, lonBits);
        var y = Bisect(latitude, -90.0, 90.0, latBits);
        return FromIndices(x, y, precision);
    }

    /// <summary>Decodes a geohash to its cell.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="geohash"/> is null.</exception>
    /// <exception cref="FormatException">
    /// Wrong length, or a character outside <see cref="Alphabet"/>; the message names the character and
    /// its 0-based position.
    /// </exception>
    public static GeoBox Decode(string geohash)
    {
        var (x, y) = ToIndices(geohash);
        var (lonBits, latBits) = BitCounts(geohash.Length);
        var lonStep = 360.0 / (1L << lonBits);
        var latStep = 180.0 / (1L << latBits);
        var minLon = -180.0 + x * lonStep;
        var minLat = -90.0 + y * latStep;
        return new GeoBox(minLat, minLon, minLat + latStep, minLon + lonStep);
    }

    /// <summary>True when <paramref name="geohash"/> is 1 to 12 characters, all from the lowercase <see cref="Alphabet"/>.</summary>
    public static bool IsValid(string geohash) => geohash is not null && Problem(geohash) is null;

    /// <summary>
    /// The adjacent cell of the same precision in the given direction.
    /// </summary>
    /// <remarks>
    /// East/west wrap around the antimeridian: east of a cell touching +180 is the cell touching -180 in
    /// the same row, and vice versa. North/south do not cross the poles: the latitude step is clamped, so
    /// north of a cell in the top row (touching +90) is the cell itself, north-east is its east neighbour,
    /// and likewise at the south pole. Hence near the poles <see cref="Neighbours"/> contains repeats.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="geohash"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="geohash"/> is not a valid geohash.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="direction"/> is not a defined value.</exception>
    public static string Neighbour(string geohash, GeohashDirection direction)
    {
        var (x, y) = ToIndices(geohash);
        var (dLat, dLon) = direction switch
        {
            GeohashDirection.North => (1, 0),
            GeohashDirection.NorthEast => (1, 1),
            GeohashDirection.East => (0, 1),
            GeohashDirection.SouthEast => (-1, 1),
            GeohashDirection.South => (-1, 0),
            GeohashDirection.SouthWest => (-1, -1),
            GeohashDirection.West => (0, -1),
            GeohashDirection.NorthWest => (1, -1),
            _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "Unknown direction."),
        };

        var (lonBits, latBits) = BitCounts(geohash.Length);
        var columns = 1L << lonBits;
        var rows = 1L << latBits;
        var nx = ((x + dLon) % columns + columns) % columns;   // wrap around ±180
        var ny = Math.Clamp(y + dLat, 0L, rows - 1);          // clamp at the poles
        return FromIndices(nx, ny, geohash.Length);
    }

    /// <summary>
    /// The 8 neighbours in the order N, NE, E, SE, S, SW, W, NW. See <see cref="Neighbour"/> for the
    /// behaviour at the antimeridian and the poles.
    /// </summary>
    public static IReadOnlyList<string> Neighbours(string geohash)
    {
        ToIndices(geohash); // validate once up front for a clear error
        var result = new string[8];
        for (var i = 0; i < result.Length; i++)
            result[i] = Neighbour(geohash, (GeohashDirection)i);
        return result;
    }

    /// <summary>
    /// Approximate size of a cell of the given precision at the equator: width from the WGS84 equatorial
    /// circumference, height from the WGS84 meridian length. Agrees with the whitepaper's table to within
    /// 0.5% (the table rounds). Cells get narrower away from the equator (width × cos(latitude)).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">precision outside [1, <see cref="MaxPrecision"/>].</exception>
    public static (double WidthMeters, double HeightMeters) CellSize(int precision)
    {
        CheckPrecision(precision);
        var (lonBits, latBits) = BitCounts(precision);
        var widthDegrees = 360.0 / (1L << lonBits);
        var heightDegrees = 180.0 / (1L << latBits);
        return (widthDegrees * MetersPerDegreeLongitudeAtEquator, heightDegrees * MetersPerDegreeLatitude);
    }

    /// <summary>
    /// True when the cell <paramref name="geohash"/> lies inside the cell <paramref name="area"/>, i.e.
    /// <paramref name="area"/> is a prefix of <paramref name="geohash"/> (a cell covers itself; a longer,
    /// smaller area never covers a shorter, larger cell).
    /// </summary>
    /// <exception cref="ArgumentNullException">Either argument is null.</exception>
    /// <exception cref="FormatException">Either argument is not a valid geohash.</exception>
    public static bool Covers(string area, string geohash)
    {
        ThrowIfInvalid(area, nameof(area));
        ThrowIfInvalid(geohash, nameof(geohash));
        return geohash.StartsWith(area, StringComparison.Ordinal);
    }

    /// <summary>
    /// Null when <paramref name="geohash"/> is valid, otherwise a human-readable reason
    /// (e.g. <c>invalid character 'a' at position 2 (0-based)</c>). Used by topic validation.
    /// </summary>
    internal static string? Problem(string geohash)
    {
        if (geohash.Length is < 1 or > MaxPrecision)
            return $"must be 1 to {MaxPrecision} characters (got {geohash.Length})";
        for (var i = 0; i < geohash.Length; i++)
        {
            var c = geohash[i];
            if (c >= DecodeMap.Length || DecodeMap[c] < 0)
            {
                var hint = char.IsAsciiLetterUpper(c) && Alphabet.Contains(char.ToLowerInvariant(c), StringComparison.Ordinal)
                    ? "; uppercase is not accepted, use lowercase"
                    : $"; allowed characters are \"{Alphabet}\" (no a, i, l, o)";
                return $"invalid character {Describe(c)} at position {i} (0-based){hint}";
            }
        }
        return null;
    }

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";

    private static void ThrowIfInvalid(string geohash, string paramName)
    {
        ArgumentNullException.ThrowIfNull(geohash, paramName);
        var problem = Problem(geohash);
        if (problem is not null)
            throw new FormatException($"Invalid geohash \"{geohash}\" ({paramName}): {problem}.");
    }

    private static void CheckPrecision(int precision)
    {
        if (precision is < 1 or > MaxPrecision)
            throw new ArgumentOutOfRangeException(nameof(precision), precision, $"Precision must be in [1, {MaxPrecision}].");
    }

    private static (int LonBits, int LatBits) BitCounts(int precision)
    {
        var bits = 5 * precision;
        return ((bits + 1) / 2, bits / 2);
    }

    private static long Bisect(double value, double min, double max, int bits)
    {
        long index = 0;
        for (var i = 0; i < bits; i++)
        {
            var mid = (min + max) / 2; // exact: all midpoints are short binary fractions of the range
            index <<= 1;
            if (value >= mid)
            {
                index |= 1;
                min = mid;
            }
            else
            {
                max = mid;
            }
        }
        return index;
    }

    /// <summary>Column (longitude) and row (latitude) indices of a valid geohash's cell.</summary>
    private static (long X, long Y) ToIndices(string geohash)
    {
        ThrowIfInvalid(geohash, nameof(geohash));
        long x = 0, y = 0;
        var bit = 0;
        foreach (var c in geohash)
        {
            int value = DecodeMap[c];
            for (var b = 4; b >= 0; b--, bit++)
            {
                var set = (value >> b) & 1;
                if ((bit & 1) == 0)
                    x = (x << 1) | (long)set;
                else
                    y = (y << 1) | (long)set;
            }
        }
        return (x, y);
    }

    private static string FromIndices(long x, long y, int precision)
    {
        var (lonBits, latBits) = BitCounts(precision);
        var lonShift = lonBits - 1;
        var latShift = latBits - 1;
        Span<char> chars = stackalloc char[precision];
        var bit = 0;
        for (var i = 0; i < chars.Length; i++)
        {
            var value = 0;
            for (var b = 0; b < 5; b++, bit++)
            {
                var set = (bit & 1) == 0 ? (x >> lonShift--) & 1 : (y >> latShift--) & 1;
                value = (value << 1) | (int)set;
            }
            chars[i] = Alphabet[value];
        }
        return new string(chars);
    }
}
