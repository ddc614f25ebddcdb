using System.Globalization;
using SweetGossip.Simulation.Output;

namespace SweetGossip.Simulation.Sweep;

/// <summary>
/// A metric against adversary fraction, one line per (dissemination, fanout, difficulty), each point the mean over
/// replicates (replicates where the metric is undefined are left out; a point with none is skipped).
/// </summary>
public static class SweepPlot
{
    public static void Write(IEnumerable<SweepOutcome> outcomes, SweepMetric metric, string path, PlotFormat format)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var plot = PlotFile.NewPlot(SweepMetrics.Label(metric) + " vs adversary fraction", "adversary fraction", SweepMetrics.Label(metric));
        var series = outcomes
            .GroupBy(o => (o.Dissemination, o.Fanout, o.DifficultyBits))
            .OrderBy(g => g.Key.Dissemination).ThenBy(g => g.Key.Fanout).ThenBy(g => g.Key.DifficultyBits);
        var multipleDifficulties = outcomes.Select(o => o.DifficultyBits).Distinct().Count() > 1;
        foreach (var line in series)
        {
            var points = line
                .GroupBy(o => o.AdversaryFraction)
                .OrderBy(g => g.Key)
                .Select(g => (X: g.Key, Values: g.Select(o => SweepMetrics.Value(o.Summary, metric)).Where(v => v is not null).Select(v => v!.Value).ToArray()))
                .Where(p => p.Values.Length > 0)
                .ToArray();
            if (points.Length == 0) continue;
            var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Values.Average()).ToArray());
            scatter.LegendText = string.Create(CultureInfo.InvariantCulture,
                $"{SweepGrid.Describe(line.Key.Dissemination, line.Key.Fanout)}{(multipleDifficulties ? $", {line.Key.DifficultyBits} bits" : "")}");
            scatter.LineWidth = 2;
            scatter.MarkerSize = 7;
        }
        if (SweepMetrics.IsFraction(metric)) plot.Axes.SetLimitsY(0, 1.05);
        plot.ShowLegend(ScottPlot.Edge.Right);
        PlotFile.Save(plot, path, format);
    }
}
