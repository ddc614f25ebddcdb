namespace SweetGossip.Simulation.Output;

/// <summary>
/// One coverage level over all topics that had interested peers: the fraction of them that reached it,
/// and, over those that did, the mean and median seconds and the mean hops. Null when none reached it.
/// </summary>
public sealed record MilestoneSummary(double Level, double TopicsReaching, double? MeanSeconds, double? MedianSeconds, double? MeanHops);
