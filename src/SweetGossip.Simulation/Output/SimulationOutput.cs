using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Output;

/// <summary>Writes a run's config, CSVs, summary, plots and report into one folder.</summary>
public static class SimulationOutput
{
    public const string ConfigFileName = "config.json";

    /// <summary>Creates <paramref name="folder"/> if needed; existing files of the same names are replaced.</summary>
    public static OutputFiles WriteAll(string folder, SimulationConfig config, SimulationResults results, PlotFormat format = PlotFormat.Png)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(results);
        Directory.CreateDirectory(folder);
        string At(string name) => Path.GetFullPath(Path.Combine(folder, name));
        var ext = PlotFile.Extension(format);

        var files = new OutputFiles(
            Path.GetFullPath(folder),
            At(ConfigFileName),
            At(SummaryJson.FileName),
            At(PeersCsv.FileName),
            At(TopicsCsv.FileName),
            At(CoverageCsv.FileName),
            At(TrafficCsv.FileName),
            At(RedundancyCsv.FileName),
            At(EarningsCsv.FileName),
            At(CoveragePlot.BaseName + ext),
            At(RedundancyPlot.BaseName + ext),
            At(EarningsPlot.BaseName + ext),
            At(HonestyPlot.BaseName + ext),
            At(MarkdownReport.FileName));

        var summary = SimulationSummary.From(results);
        SimulationConfigJson.Write(config, files.Config);
        SummaryJson.Write(summary, files.Summary);
        PeersCsv.Write(results, files.PeersCsv);
        TopicsCsv.Write(results, files.TopicsCsv);
        CoverageCsv.Write(results, files.CoverageCsv);
        TrafficCsv.Write(results, files.TrafficCsv);
        RedundancyCsv.Write(results, files.RedundancyCsv);
        EarningsCsv.Write(results, files.EarningsCsv);
        CoveragePlot.Write(results, files.CoveragePlot, format);
        RedundancyPlot.Write(results, files.RedundancyPlot, format);
        EarningsPlot.Write(results, files.EarningsPlot, format);
        HonestyPlot.Write(results, files.HonestyPlot, format);
        MarkdownReport.Write(config, summary, format, files.Report);
        return files;
    }
}
