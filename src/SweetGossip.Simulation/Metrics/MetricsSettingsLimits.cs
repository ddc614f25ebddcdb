namespace SweetGossip.Simulation.Metrics;

/// <summary>Bounds that keep aggregated series a sane size.</summary>
public static class MetricsSettingsLimits
{
    public const int MaxCoveragePoints = 1_000_000;
}
