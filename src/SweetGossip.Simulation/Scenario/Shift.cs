namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// Drivers' working hours: a share of the drivers works from <see cref="StartHour"/> to
/// <see cref="EndHour"/> (hours of the day, 0–24). A shift with EndHour &lt; StartHour runs past midnight.
/// </summary>
public sealed record Shift
{
    public double StartHour { get; init; } = 7;
    public double EndHour { get; init; } = 19;

    /// <summary>Fraction of drivers on this shift; the shares of a scenario add up to 1.</summary>
    public double Share { get; init; } = 1;

    public bool IsWorking(double hourOfDay)
    {
        var h = ((hourOfDay % 24) + 24) % 24;
        return StartHour <= EndHour ? h >= StartHour && h < EndHour : h >= StartHour || h < EndHour;
    }
}
