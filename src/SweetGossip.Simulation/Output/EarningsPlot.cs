using ScottPlot;
using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>Sats earned and paid per role, and mean net sats per honest and per dishonest peer.</summary>
public static class EarningsPlot
{
    public const string BaseName = "earnings";

    public static void Write(SimulationResults results, string path, PlotFormat format)
    {
        var plot = PlotFile.NewPlot("Earnings by role and honesty", "", "sats");
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        double x = 0;
        foreach (var role in results.EarningsByRole)
        {
            bars.Add(new Bar { Position = x, Value = role.EarnedMsat / 1000.0, FillColor = Colors.SeaGreen });
            bars.Add(new Bar { Position = x + 1, Value = role.PaidMsat / 1000.0, FillColor = Colors.IndianRed });
            ticks.Add(new Tick(x + 0.5, role.Role.ToString()));
            x += 3;
        }
        foreach (var group in results.EarningsByHonesty)
        {
            bars.Add(new Bar { Position = x, Value = group.MeanNetMsat / 1000.0, FillColor = Colors.SlateGray });
            ticks.Add(new Tick(x, (group.Honest ? "honest" : "dishonest") + "\nnet per peer"));
            x += 2;
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "earned", FillColor = Colors.SeaGreen });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "paid", FillColor = Colors.IndianRed });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "mean net per peer", FillColor = Colors.SlateGray });
        plot.ShowLegend(Alignment.UpperRight);
        PlotFile.Save(plot, path, format);
    }
}
