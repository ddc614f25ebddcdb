namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// Per-link one-way latency, in milliseconds. Parameters by <see cref="Kind"/> (the validator rejects the others):
/// Constant: <see cref="Milliseconds"/>; Uniform: <see cref="MinMilliseconds"/>, <see cref="MaxMilliseconds"/>;
/// Normal: <see cref="MeanMilliseconds"/>, <see cref="StdDevMilliseconds"/> (draws below 0 become 0);
/// LogNormal: <see cref="MedianMilliseconds"/>, <see cref="Sigma"/> (of the underlying normal; the
/// heavy right tail of mobile links). Sample with <see cref="LatencySampler"/>.
/// </summary>
public sealed record LatencyModel
{
    public required LatencyKind Kind { get; init; }
    public double? Milliseconds { get; init; }
    public double? MinMilliseconds { get; init; }
    public double? MaxMilliseconds { get; init; }
    public double? MeanMilliseconds { get; init; }
    public double? StdDevMilliseconds { get; init; }
    public double? MedianMilliseconds { get; init; }
    public double? Sigma { get; init; }

    public static LatencyModel Constant(double ms) => new() { Kind = LatencyKind.Constant, Milliseconds = ms };
    public static LatencyModel Uniform(double minMs, double maxMs) => new() { Kind = LatencyKind.Uniform, MinMilliseconds = minMs, MaxMilliseconds = maxMs };
    public static LatencyModel Normal(double meanMs, double stdDevMs) => new() { Kind = LatencyKind.Normal, MeanMilliseconds = meanMs, StdDevMilliseconds = stdDevMs };
    public static LatencyModel LogNormal(double medianMs, double sigma) => new() { Kind = LatencyKind.LogNormal, MedianMilliseconds = medianMs, Sigma = sigma };
}
