namespace SweetGossip.Protocol.Topics;

/// <summary>
/// Taxi-app topic: where (a pickup geohash cell, optionally a drop-off cell) and when (a pickup window) a
/// ride is wanted.
/// </summary>
/// <remarks>
/// <para>
/// Geohashes are limited to <see cref="MaxGeohashPrecision"/> characters (cells of roughly 38 m × 19 m
/// at the equator) so the originator cannot be located precisely from the topic. A missing drop-off is
/// <c>null</c> (the wire's empty string maps to <c>null</c>); an empty string here is invalid.
/// </para>
/// <para>
/// The window is half-open in spirit: pickup no earlier than <see cref="PickupAfter"/> and before
/// <see cref="PickupBefore"/>. On the wire both are whole unix seconds.
/// </para>
/// </remarks>
public sealed record TaxiTopic(string PickupGeohash, string? DropoffGeohash, DateTimeOffset PickupAfter, DateTimeOffset PickupBefore) : Topic
{
    /// <summary>Originator privacy: geohashes have at most 8 characters (whitepaper).</summary>
    public const int MaxGeohashPrecision = 8;

    public const int MinGeohashPrecision = 1;

    /// <summary>The longest allowed pickup window (inclusive).</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);

    public override string Kind => "taxi";

    /// <summary>
    /// Checks, in this order, raising <see cref="TopicValidationException"/> on the first failure:
    /// <list type="bullet">
    /// <item><c>pickup_geohash</c>: not null, 1 to 8 characters, all from <see cref="Geohash.Alphabet"/>.</item>
    /// <item><c>dropoff_geohash</c>: null, or 1 to 8 valid characters.</item>
    /// <item><c>pickup_after</c>: strictly earlier than <see cref="PickupBefore"/>.</item>
    /// <item><c>pickup_before</c>: strictly later than <paramref name="now"/> (the window is not entirely in the past).</item>
    /// <item><c>pickup_before</c>: <c>PickupBefore - PickupAfter</c> is at most <see cref="MaxWindow"/>.</item>
    /// </list>
    /// A window that has already started (<see cref="PickupAfter"/> in the past) is allowed.
    /// </summary>
    public override void Validate(DateTimeOffset now)
    {
        ValidateGeohash("pickup_geohash", PickupGeohash);
        if (DropoffGeohash is not null)
            ValidateGeohash("dropoff_geohash", DropoffGeohash);

        if (PickupAfter >= PickupBefore)
            throw new TopicValidationException("pickup_after",
                $"must be earlier than pickup_before (got {Format(PickupAfter)} >= {Format(PickupBefore)})");
        if (PickupBefore <= now)
            throw new TopicValidationException("pickup_before",
                $"must be in the future; the pickup window is entirely in the past (got {Format(PickupBefore)}, now {Format(now)})");
        var window = PickupBefore - PickupAfter;
        if (window > MaxWindow)
            throw new TopicValidationException("pickup_before",
                $"pickup window must be at most {MaxWindow:c} long (got {window:c})");
    }

    /// <summary>
    /// Builds and validates a topic from coordinates.
    /// </summary>
    /// <param name="latitude">Pickup latitude in degrees, [-90, 90].</param>
    /// <param name="longitude">Pickup longitude in degrees, [-180, 180].</param>
    /// <param name="precision">
    /// Geohash length for pickup and drop-off, 1 to <see cref="MaxGeohashPrecision"/>; otherwise a
    /// <see cref="TopicValidationException"/> for <c>pickup_geohash</c>.
    /// </param>
    /// <param name="after">Start of the pickup window.</param>
    /// <param name="before">End of the pickup window.</param>
    /// <param name="now">Current time, for <see cref="Validate"/>.</param>
    /// <param name="dropoff">Optional drop-off point, encoded at the same precision.</param>
    /// <remarks>
    /// Times travel as whole unix seconds, so <paramref name="after"/> and <paramref name="before"/> are
    /// truncated to whole seconds (towards the past) and converted to UTC (offset zero) before validation;
    /// the result therefore survives a round trip through the wire format unchanged.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A latitude or longitude is out of range.</exception>
    /// <exception cref="TopicValidationException">The resulting topic is invalid.</exception>
    public static TaxiTopic Create(double latitude, double longitude, int precision, DateTimeOffset after, DateTimeOffset before, DateTimeOffset now, (double Lat, double Lon)? dropoff = null)
    {
        if (precision is < MinGeohashPrecision or > MaxGeohashPrecision)
            throw new TopicValidationException("pickup_geohash",
                $"precision must be between {MinGeohashPrecision} and {MaxGeohashPrecision} (got {precision})");

        var pickup = Geohash.Encode(latitude, longitude, precision);
        var drop = dropoff is { } d ? Geohash.Encode(d.Lat, d.Lon, precision) : null;
        var topic = new TaxiTopic(pickup, drop, TruncateToSeconds(after), TruncateToSeconds(before));
        topic.Validate(now);
        return topic;
    }

    /// <summary>
    /// True when the pickup cell lies inside <paramref name="area"/> (see <see cref="Geohash.Covers"/>);
    /// for a driver's reply policy.
    /// </summary>
    /// <exception cref="FormatException"><paramref name="area"/> or <see cref="PickupGeohash"/> is not a valid geohash.</exception>
    public bool PickupWithin(string area) => Geohash.Covers(area, PickupGeohash);

    private static void ValidateGeohash(string field, string? geohash)
    {
        if (geohash is null)
            throw new TopicValidationException(field, "must not be null");
        if (geohash.Length < MinGeohashPrecision)
            throw new TopicValidationException(field, $"must be at least {MinGeohashPrecision} character (got {geohash.Length})");
        if (geohash.Length > MaxGeohashPrecision)
            throw new TopicValidationException(field, $"must be at most {MaxGeohashPrecision} characters (got {geohash.Length})");
        var problem = Geohash.Problem(geohash);
        if (problem is not null)
            throw new TopicValidationException(field, problem);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) =>
        DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds());

    private static string Format(DateTimeOffset t) => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
