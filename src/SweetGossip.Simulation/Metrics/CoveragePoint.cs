namespace SweetGossip.Simulation.Metrics;

/// <summary>
/// Coverage of interested peers <see cref="SecondsSinceOrigin"/> after topics were originated: the mean,
/// least and greatest over the <see cref="Topics"/> topics that had interested peers.
/// </summary>
public sealed record CoveragePoint(double SecondsSinceOrigin, double Mean, double Min, double Max, int Topics);
