using System.Globalization;
using System.Text;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Output;

/// <summary>report.md: the run's setup and headline numbers, linking the plots and CSVs beside it.</summary>
public static class MarkdownReport
{
    public const string FileName = "report.md";

    public static string Render(SimulationConfig config, SimulationSummary summary, PlotFormat format)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(summary);
        var ext = PlotFile.Extension(format);
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');

        static string Where(SimulationConfig c) => c.Scenario == ScenarioKind.Jobs
            ? $"posting jobs of {c.JobsSettings.Categories} categories"
            : "in " + c.Taxi.City.Name;

        Line("# Sweet-Gossip simulation report");
        Line();
        Line($"Seed {config.Seed} · {summary.Peers} peers ({summary.HonestPeers} honest) {Where(config)} · " +
             $"topology {Describe(config.Topology)} · {(config.Dissemination == SweetGossip.Node.Core.Dissemination.Announce ? "announce" : $"fanout {config.Fanout}")} · PoW {config.DifficultyBits} bits · " +
             $"hops {config.Hops} · {F(config.DurationSeconds)} s · {summary.Topics} topics.");
        Line();
        Line("Attacks: " + (config.Attacks.Count == 0
            ? "none."
            : string.Join("; ", config.Attacks.Select(a => $"{a.Kind} {F(a.Fraction * 100)} % from {F(a.StartSeconds)} s")) + "."));
        Line();

        Line("## Coverage of interested peers");
        Line();
        Line($"{summary.TopicsWithInterestedPeers} topics had interested peers; mean final coverage {P(summary.MeanCoverage)}, " +
             $"mean reach of all peers {P(summary.MeanReach)}.");
        Line();
        Line("| coverage | topics reaching it | mean s | median s | mean hops |");
        Line("|---|---|---|---|---|");
        foreach (var m in summary.Milestones)
            Line($"| {F(m.Level * 100)} % | {P(m.TopicsReaching)} | {F(m.MeanSeconds)} | {F(m.MedianSeconds)} | {F(m.MeanHops)} |");
        Line();
        Line($"![Coverage over time]({CoveragePlot.BaseName}{ext})");
        Line();

        Line("## Redundancy");
        Line();
        Line($"Mean copies per receiving peer and topic: {F(summary.MeanCopiesPerReceivingPeer)}; most copies seen: {summary.MaxCopies}.");
        Line();
        Line($"![Redundancy histogram]({RedundancyPlot.BaseName}{ext})");
        Line();

        Line("## Traffic and work");
        Line();
        Line($"{summary.Frames} frames, {summary.Bytes} bytes ({F(summary.FramesPerPeer)} frames and {F(summary.BytesPerPeer)} bytes per peer); " +
             $"{summary.PowHashes} PoW hashes.");
        Line();
        Line("| frame | count | bytes |");
        Line("|---|---|---|");
        foreach (var k in summary.FramesByKind.Where(k => k.Frames > 0)) Line($"| {k.Kind} | {k.Frames} | {k.Bytes} |");
        Line();

        Line("## Replies and money");
        Line();
        Line($"{summary.RepliesDelivered} replies delivered; topics with at least one reply: {P(summary.TopicsWithReply)}; " +
             $"mean time to the first reply: {F(summary.MeanSecondsToFirstReply)} s.");
        Line();
        Line("| role | peers | earned sats | paid sats | net sats |");
        Line("|---|---|---|---|---|");
        foreach (var r in summary.EarningsByRole) Line($"| {RoleName(r.Role)} | {r.Peers} | {Sats(r.EarnedMsat)} | {Sats(r.PaidMsat)} | {Sats(r.NetMsat)} |");
        Line();
        Line("| peers | count | net sats | mean net sats per peer |");
        Line("|---|---|---|---|");
        foreach (var g in summary.EarningsByHonesty) Line($"| {(g.Honest ? "honest" : "dishonest")} | {g.Peers} | {Sats(g.NetMsat)} | {F(g.MeanNetMsat / 1000)} |");
        Line();
        Line($"![Earnings by role]({EarningsPlot.BaseName}{ext})");
        Line();
        Line($"![Earnings per peer, honest vs dishonest]({HonestyPlot.BaseName}{ext})");
        Line();

        Line("## Files");
        Line();
        Line($"- [config.json](config.json): the config of this run (rerun it for the same numbers)");
        Line($"- [{SummaryJson.FileName}]({SummaryJson.FileName}): these numbers, machine-readable");
        Line($"- [{PeersCsv.FileName}]({PeersCsv.FileName}): per peer");
        Line($"- [{TopicsCsv.FileName}]({TopicsCsv.FileName}): per topic");
        Line($"- [{CoverageCsv.FileName}]({CoverageCsv.FileName}): coverage over time");
        Line($"- [{TrafficCsv.FileName}]({TrafficCsv.FileName}): traffic over simulation time");
        Line($"- [{RedundancyCsv.FileName}]({RedundancyCsv.FileName}): redundancy histogram");
        Line($"- [{EarningsCsv.FileName}]({EarningsCsv.FileName}): earnings by role and honesty");
        return md.ToString();
    }

    public static void Write(SimulationConfig config, SimulationSummary summary, PlotFormat format, string path) =>
        File.WriteAllText(path, Render(config, summary, format));

    private static string Describe(TopologySpec t) => t.Kind switch
    {
        TopologyKind.RandomRegular => $"random regular (degree {t.Degree})",
        TopologyKind.ErdosRenyi => $"Erdős–Rényi (p {F(t.EdgeProbability)})",
        TopologyKind.BarabasiAlbert => $"Barabási–Albert (m {t.AttachEdges})",
        TopologyKind.WattsStrogatz => $"Watts–Strogatz (k {t.RingNeighbours}, β {F(t.RewireProbability)})",
        TopologyKind.Geographic => $"geographic (radius {F(t.RadiusMeters)} m, nearest {t.NearestNeighbours?.ToString(CultureInfo.InvariantCulture) ?? "–"})",
        TopologyKind.EdgeListFile => $"edge list {t.EdgeListPath}",
        _ => t.Kind.ToString(),
    };

    private static string F(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : "–";

    private static string P(double? fraction) => fraction is { } f ? F(f * 100) + " %" : "–";

    // Favours are a trade of their own: say which side earns and which pays.
    private static string RoleName(PaymentRole role) => role == PaymentRole.Favour ? "Favour (earned by granting, paid by asking)" : role.ToString();

    private static string Sats(long msat) => (msat / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
}
