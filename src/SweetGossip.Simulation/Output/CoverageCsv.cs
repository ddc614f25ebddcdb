using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>coverage.csv: the coverage-over-time curve (time since each topic's origination).</summary>
public static class CoverageCsv
{
    public const string FileName = "coverage.csv";

    public static void Write(SimulationResults results, TextWriter writer)
    {
        var csv = new CsvWriter(writer);
        csv.Row("seconds_since_origin", "mean_coverage", "min_coverage", "max_coverage", "topics");
        foreach (var p in results.Coverage) csv.Row(p.SecondsSinceOrigin, p.Mean, p.Min, p.Max, p.Topics);
    }

    public static void Write(SimulationResults results, string path) => CsvWriter.ToFile(path, w => Write(results, w));
}
