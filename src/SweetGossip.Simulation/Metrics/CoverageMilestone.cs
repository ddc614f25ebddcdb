namespace SweetGossip.Simulation.Metrics;

/// <summary>
/// When a topic reached <see cref="Level"/> of its interested peers: seconds after origination, and the
/// largest hop count among the first-receipts up to that moment (time order). Null when never reached.
/// </summary>
public sealed record CoverageMilestone(double Level, double? Seconds, int? Hops);
