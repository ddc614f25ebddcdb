using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>Coverage of interested peers against seconds since origination: the mean, with a min–max band.</summary>
public static class CoveragePlot
{
    public const string BaseName = "coverage";

    public static void Write(SimulationResults results, string path, PlotFormat format)
    {
        var plot = PlotFile.NewPlot("Coverage of interested peers", "seconds since the topic was originated", "coverage");
        var points = results.Coverage;
        if (points.Count > 0)
        {
            var xs = points.Select(p => p.SecondsSinceOrigin).ToArray();
            var band = plot.Add.FillY(xs, points.Select(p => p.Min).ToArray(), points.Select(p => p.Max).ToArray());
            band.LegendText = "min – max over topics";
            band.FillStyle.Color = ScottPlot.Colors.SteelBlue.WithAlpha(0.25);
            band.LineStyle.Width = 0;
            var mean = plot.Add.ScatterLine(xs, points.Select(p => p.Mean).ToArray());
            mean.LegendText = $"mean over {points[0].Topics} topics";
            mean.LineWidth = 2;
            mean.Color = ScottPlot.Colors.SteelBlue;
            plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        }
        plot.Axes.SetLimitsY(0, 1.05);
        PlotFile.Save(plot, path, format);
    }
}
