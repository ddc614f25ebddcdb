using ScottPlot;
using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>
/// Sats earned, paid and net per role, summed over peers. A middleman's earned and paid include the
/// amounts it passes on; its net is its fees. Per-peer honest/dishonest numbers are in <see cref="HonestyPlot"/>
/// (their scale is far smaller, so they get their own plot).
/// </summary>
public static class EarningsPlot
{
    public const string BaseName = "earnings";

    public static void Write(SimulationResults results, string path, PlotFormat format)
    {
        var plot = PlotFile.NewPlot("Earnings by role (all peers)", "", "sats");
        var groups = results.EarningsByRole.Select(r => (r.Role.ToString(), r.EarnedMsat, r.PaidMsat, r.NetMsat));
        GroupedBars.Add(plot, groups);
        PlotFile.Save(plot, path, format);
    }
}
