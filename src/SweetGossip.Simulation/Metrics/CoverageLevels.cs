namespace SweetGossip.Simulation.Metrics;

/// <summary>The coverage milestones reported per topic.</summary>
public static class CoverageLevels
{
    public static IReadOnlyList<double> All { get; } = [0.5, 0.9, 0.99, 1.0];

    /// <summary>
    /// How many of <paramref name="interested"/> peers make <paramref name="level"/> coverage: ⌈level·N⌉,
    /// at least 1 (the small tolerance stops 0.9·100 = 90.00000000000001 from asking for 91).
    /// </summary>
    public static int Needed(double level, int interested) => Math.Max(1, (int)Math.Ceiling(level * interested - 1e-9));

    /// <summary>"p50", "p90", "p99", "p100": column and label names.</summary>
    public static string Label(double level) => "p" + (level * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
