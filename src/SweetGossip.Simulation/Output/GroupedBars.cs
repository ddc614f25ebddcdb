using ScottPlot;

namespace SweetGossip.Simulation.Output;

/// <summary>Earned / paid / net bars per group, amounts given in msat and drawn in sats.</summary>
internal static class GroupedBars
{
    private static readonly Color Earned = Colors.SeaGreen, Paid = Colors.IndianRed, Net = Colors.SlateGray;

    public static void Add(Plot plot, IEnumerable<(string Label, long EarnedMsat, long PaidMsat, long NetMsat)> groups)
    {
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        double x = 0;
        foreach (var (label, earned, paid, net) in groups)
        {
            bars.Add(new Bar { Position = x, Value = earned / 1000.0, FillColor = Earned });
            bars.Add(new Bar { Position = x + 1, Value = paid / 1000.0, FillColor = Paid });
            bars.Add(new Bar { Position = x + 2, Value = net / 1000.0, FillColor = Net });
            ticks.Add(new Tick(x + 1, label));
            x += 4;
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "earned", FillColor = Earned });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "paid", FillColor = Paid });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "net", FillColor = Net });
        plot.ShowLegend(Edge.Right);
    }
}
