namespace SweetGossip.Simulation.Metrics;

/// <summary>How events are bucketed when aggregated.</summary>
public sealed record MetricsSettings
{
    /// <summary>Spacing of the coverage-over-time curve (seconds since each topic's origination).</summary>
    public double CoverageStepSeconds { get; init; } = 0.05;

    /// <summary>How far the coverage curve goes; null: up to the last first-receipt of an interested peer.</summary>
    public double? CoverageHorizonSeconds { get; init; }

    /// <summary>Width of the buckets of the traffic time series (simulation time).</summary>
    public double TrafficBucketSeconds { get; init; } = 10;
}
