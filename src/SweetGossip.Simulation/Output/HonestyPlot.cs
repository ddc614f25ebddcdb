using ScottPlot;
using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>Mean sats earned, paid and net per honest and per dishonest peer: does honesty pay?</summary>
public static class HonestyPlot
{
    public const string BaseName = "honesty";

    public static void Write(SimulationResults results, string path, PlotFormat format)
    {
        var plot = PlotFile.NewPlot("Earnings per peer: honest vs dishonest", "", "sats per peer");
        var groups = results.EarningsByHonesty.Select(g =>
        {
            var peers = Math.Max(1, g.Peers);
            return ($"{(g.Honest ? "honest" : "dishonest")} ({g.Peers} peers)", g.EarnedMsat / peers, g.PaidMsat / peers, g.NetMsat / peers);
        });
        GroupedBars.Add(plot, groups);
        PlotFile.Save(plot, path, format);
    }
}
