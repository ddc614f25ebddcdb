namespace SweetGossip.Simulation.Output;

/// <summary>The files <see cref="SimulationOutput.WriteAll"/> wrote (full paths).</summary>
public sealed record OutputFiles(
    string Folder,
    string Config,
    string Summary,
    string PeersCsv,
    string TopicsCsv,
    string CoverageCsv,
    string TrafficCsv,
    string RedundancyCsv,
    string EarningsCsv,
    string CoveragePlot,
    string RedundancyPlot,
    string EarningsPlot,
    string HonestyPlot,
    string Report)
{
    public IReadOnlyList<string> All =>
        [Config, Summary, PeersCsv, TopicsCsv, CoverageCsv, TrafficCsv, RedundancyCsv, EarningsCsv, CoveragePlot, RedundancyPlot, EarningsPlot, HonestyPlot, Report];
}
