using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// Churn and mobility, as Poisson rates per peer (or per link) per hour; 0 turns a process off.
/// A peer online goes offline after an exponential time of rate <see cref="OfflinePerHour"/> and comes
/// back after one of rate <see cref="OnlinePerHour"/> (0: never comes back, i.e. a crash), so in the
/// long run it is online a fraction OnlinePerHour / (OnlinePerHour + OfflinePerHour) of the time.
/// </summary>
public sealed record Churn
{
    public double OfflinePerHour { get; init; }
    public double OnlinePerHour { get; init; } = 6;

    /// <summary>Rate at which each link breaks (mobile connectivity); the runner may re-link after <see cref="RelinkSeconds"/>.</summary>
    public double LinkDropPerHour { get; init; }

    /// <summary>Mean time until a dropped link is replaced by a new one (exponential).</summary>
    public double RelinkSeconds { get; init; } = 30;

    /// <summary>Drivers' cruising speed; their positions, and so their areas, change while they drive.</summary>
    public double DriverSpeedKmh { get; init; }

    public double SampleSecondsUntilOffline(SimRandom random) => SampleSeconds(random, OfflinePerHour);

    public double SampleSecondsUntilOnline(SimRandom random) => SampleSeconds(random, OnlinePerHour);

    public double SampleSecondsUntilLinkDrop(SimRandom random) => SampleSeconds(random, LinkDropPerHour);

    public double SampleSecondsUntilRelink(SimRandom random) =>
        RelinkSeconds <= 0 ? 0 : random.NextExponential(1.0 / RelinkSeconds);

    /// <summary>An exponential waiting time in seconds for a per-hour rate; +∞ when the rate is 0.</summary>
    private static double SampleSeconds(SimRandom random, double perHour)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.NextExponential(perHour / 3600.0);
    }
}
