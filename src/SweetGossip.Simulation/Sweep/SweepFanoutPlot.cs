using System.Globalization;
using SweetGossip.Node.Core;
using SweetGossip.Simulation.Output;

namespace SweetGossip.Simulation.Sweep;

/// <summary>
/// A metric against fanout, one line per (difficulty, adversary fraction) of fanout dissemination, and announce
/// dissemination (which has no fanout) as a dashed horizontal line at its value; each point the mean over replicates.
/// </summary>
public static class SweepFanoutPlot
{
    public static void Write(IEnumerable<SweepOutcome> outcomes, SweepMetric metric, string path, PlotFormat format)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var all = outcomes.ToArray();
        var plot = PlotFile.NewPlot(SweepMetrics.Label(metric) + " vs fanout", "fanout (peers asked per relay)", SweepMetrics.Label(metric));
        var multipleDifficulties = all.Select(o => o.DifficultyBits).Distinct().Count() > 1;
        var multipleFractions = all.Select(o => o.AdversaryFraction).Distinct().Count() > 1;
        string Suffix(int bits, double fraction) =>
            string.Create(CultureInfo.InvariantCulture, $"{(multipleDifficulties ? $", {bits} bits" : "")}{(multipleFractions ? $", {fraction:0.##} adversaries" : "")}");
        static double[] Values(IEnumerable<SweepOutcome> group, SweepMetric metric) =>
            group.Select(o => SweepMetrics.Value(o.Summary, metric)).Where(v => v is not null).Select(v => v!.Value).ToArray();

        foreach (var line in all.Where(o => o.Dissemination == Dissemination.Fanout)
                     .GroupBy(o => (o.DifficultyBits, o.AdversaryFraction)).OrderBy(g => g.Key.DifficultyBits).ThenBy(g => g.Key.AdversaryFraction))
        {
            var points = line.GroupBy(o => o.Fanout).OrderBy(g => g.Key)
                .Select(g => (X: (double)g.Key, Values: Values(g, metric))).Where(p => p.Values.Length > 0).ToArray();
            if (points.Length == 0) continue;
            var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Values.Average()).ToArray());
            scatter.LegendText = "fanout" + Suffix(line.Key.DifficultyBits, line.Key.AdversaryFraction);
            scatter.LineWidth = 2;
            scatter.MarkerSize = 7;
        }
        foreach (var level in all.Where(o => o.Dissemination == Dissemination.Announce)
                     .GroupBy(o => (o.DifficultyBits, o.AdversaryFraction)).OrderBy(g => g.Key.DifficultyBits).ThenBy(g => g.Key.AdversaryFraction))
        {
            var values = Values(level, metric);
            if (values.Length == 0) continue;
            var announce = plot.Add.HorizontalLine(values.Average());
            announce.LegendText = "announce" + Suffix(level.Key.DifficultyBits, level.Key.AdversaryFraction);
            announce.LineWidth = 2;
            announce.LinePattern = ScottPlot.LinePattern.Dashed;
        }
        if (SweepMetrics.IsFraction(metric)) plot.Axes.SetLimitsY(0, 1.05);
        plot.ShowLegend(ScottPlot.Edge.Right);
        PlotFile.Save(plot, path, format);
    }
}
