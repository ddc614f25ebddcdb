using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// The whitepaper's taxi app in a city: riders broadcast pickup requests (topics), drivers reply.
/// Times are simulation seconds from 0; <see cref="StartHourOfDay"/> says what hour of the day 0 is.
/// </summary>
public sealed record TaxiScenario
{
    public CityBox City { get; init; } = CityBox.SydneyCbd;

    /// <summary>Number of peers (honest and not; Sybil extra identities come on top, see <see cref="Attack"/>).</summary>
    public int Peers { get; init; } = 1_000;

    /// <summary>Fraction of peers that are drivers; the rest are riders.</summary>
    public double DriverFraction { get; init; } = 0.1;

    /// <summary>Pickup requests across the whole city per minute (a Poisson process).</summary>
    public double RiderTopicsPerMinute { get; init; } = 6;

    /// <summary>
    /// A driver serves the area named by the geohash prefix of this many characters of its position
    /// (6 ≈ 1.2 km × 0.6 km): it is interested in a topic whose pickup geohash starts with that prefix.
    /// </summary>
    public int DriverAreaPrecision { get; init; } = 6;

    /// <summary>Precision of the pickup geohash in topics (at most 8: protocol.md D5).</summary>
    public int PickupPrecision { get; init; } = 7;

    /// <summary>Length of the pickup window (pickup_after … pickup_before), from the request time.</summary>
    public double PickupWindowMinutes { get; init; } = 30;

    /// <summary>Hour of the day (0–24) at simulation time 0.</summary>
    public double StartHourOfDay { get; init; } = 8;

    public ValueList<Shift> DriverShifts { get; init; } = new([new Shift()]);

    public Prices Prices { get; init; } = new();

    /// <summary>Hour of the day at simulation time <paramref name="seconds"/>.</summary>
    public double HourOfDay(double seconds) => ((StartHourOfDay + seconds / 3600.0) % 24 + 24) % 24;
}
