using SweetGossip.Simulation.Output;

namespace SweetGossip.Simulation.Compare;

/// <summary>One plot per series both runs wrote, the two runs overlaid (A solid blue, B dashed orange).</summary>
internal static class ComparisonPlots
{
    private sealed record Series(string BaseName, string Title, string File, string X, string Y, string XLabel, string YLabel,
        ScottPlot.Alignment Legend = ScottPlot.Alignment.UpperRight);

    private static readonly Series[] All =
    [
        new("compare-coverage", "Coverage of interested peers (mean over topics)", CoverageCsv.FileName, "seconds_since_origin", "mean_coverage",
            "seconds since the topic was originated", "coverage", ScottPlot.Alignment.LowerRight),
        new("compare-redundancy", "Copies received per peer and topic", RedundancyCsv.FileName, "copies", "count", "copies received", "(topic, peer) pairs"),
        new("compare-traffic", "Frames sent per time bucket", TrafficCsv.FileName, "start_s", "frames", "simulation seconds", "frames"),
    ];

    /// <returns>The plots written (full paths); a series missing from either folder is skipped.</returns>
    public static IReadOnlyList<string> Write(string a, string labelA, string b, string labelB, string folder, PlotFormat format)
    {
        var written = new List<string>();
        foreach (var series in All)
        {
            var first = ResultCsvColumns.Read(Path.Combine(a, series.File), series.X, series.Y);
            var second = ResultCsvColumns.Read(Path.Combine(b, series.File), series.X, series.Y);
            if (first is null || second is null) continue;
            var plot = PlotFile.NewPlot(series.Title, series.XLabel, series.YLabel);
            Add(plot, first.Value, labelA, ScottPlot.Colors.SteelBlue, ScottPlot.LinePattern.Solid);
            Add(plot, second.Value, labelB, ScottPlot.Colors.DarkOrange, ScottPlot.LinePattern.Dashed);
            plot.ShowLegend(series.Legend);
            var path = Path.GetFullPath(Path.Combine(folder, series.BaseName + PlotFile.Extension(format)));
            PlotFile.Save(plot, path, format);
            written.Add(path);
        }
        return written;
    }

    private static void Add(ScottPlot.Plot plot, (double[] X, double[] Y) data, string label, ScottPlot.Color color, ScottPlot.LinePattern pattern)
    {
        if (data.X.Length == 0) return;
        var line = plot.Add.ScatterLine(data.X, data.Y);
        line.LegendText = label;
        line.LineWidth = 2;
        line.Color = color;
        line.LinePattern = pattern;
    }
}
