using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>
/// topics.csv: one row per topic. pNN_s / pNN_hops: seconds after origination and hops at which NN % of
/// the interested peers had it (empty: never). coverage is empty when no peer was interested.
/// </summary>
public static class TopicsCsv
{
    public const string FileName = "topics.csv";

    public static void Write(SimulationResults results, TextWriter writer)
    {
        var csv = new CsvWriter(writer);
        var header = new List<object?> { "topic", "origin", "origin_time_s", "interested", "interested_reached", "coverage", "peers_reached", "reach" };
        foreach (var level in CoverageLevels.All)
        {
            header.Add(CoverageLevels.Label(level) + "_s");
            header.Add(CoverageLevels.Label(level) + "_hops");
        }
        header.AddRange(["copies", "duplicates", "replies", "first_reply_s"]);
        csv.Row([.. header]);

        foreach (var t in results.Topics)
        {
            var row = new List<object?> { t.Topic, t.Origin, t.OriginTimeSeconds, t.InterestedPeers, t.InterestedReached, t.Coverage, t.PeersReached, t.Reach };
            foreach (var level in CoverageLevels.All)
            {
                var m = t.Milestone(level);
                row.Add(m.Seconds);
                row.Add(m.Hops);
            }
            row.AddRange([t.Copies, t.Duplicates, t.Replies, t.SecondsToFirstReply]);
            csv.Row([.. row]);
        }
    }

    public static void Write(SimulationResults results, string path) => CsvWriter.ToFile(path, w => Write(results, w));
}
