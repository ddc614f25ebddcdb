using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>redundancy.csv: how many (topic, peer) pairs saw each number of copies.</summary>
public static class RedundancyCsv
{
    public const string FileName = "redundancy.csv";

    public static void Write(SimulationResults results, TextWriter writer)
    {
        var csv = new CsvWriter(writer);
        csv.Row("copies", "count");
        foreach (var b in results.Redundancy) csv.Row(b.Copies, b.Count);
    }

    public static void Write(SimulationResults results, string path) => CsvWriter.ToFile(path, w => Write(results, w));
}
