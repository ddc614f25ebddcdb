using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>Histogram of copies received per (topic, peer): 1 is ideal; the tail is the gossip's waste.</summary>
public static class RedundancyPlot
{
    public const string BaseName = "redundancy";

    public static void Write(SimulationResults results, string path, PlotFormat format)
    {
        var plot = PlotFile.NewPlot("Copies received per peer and topic", "copies received", "(topic, peer) pairs");
        if (results.Redundancy.Count > 0)
        {
            var bars = plot.Add.Bars(
                results.Redundancy.Select(b => (double)b.Copies).ToArray(),
                results.Redundancy.Select(b => (double)b.Count).ToArray());
            bars.Color = ScottPlot.Colors.SteelBlue;
            // Copies are whole numbers: one tick per bar, not 0.5 steps.
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                results.Redundancy.Select(b => new ScottPlot.Tick(b.Copies, b.Copies.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        }
        plot.Axes.Margins(bottom: 0);
        PlotFile.Save(plot, path, format);
    }
}
