using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>traffic.csv: the simulation-time series, one row per bucket (shows when an attack starts to bite).</summary>
public static class TrafficCsv
{
    public const string FileName = "traffic.csv";

    public static void Write(SimulationResults results, TextWriter writer)
    {
        var csv = new CsvWriter(writer);
        csv.Row("start_s", "frames", "bytes", "first_receipts", "duplicates", "topics_originated", "replies_delivered", "pow_hashes");
        foreach (var p in results.Traffic)
            csv.Row(p.StartSeconds, p.Frames, p.Bytes, p.FirstReceipts, p.Duplicates, p.TopicsOriginated, p.RepliesDelivered, p.PowHashes);
    }

    public static void Write(SimulationResults results, string path) => CsvWriter.ToFile(path, w => Write(results, w));
}
