using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>
/// peers.csv: one row per peer, by node id. Amounts in msat. copies_per_topic is copies_received /
/// topics_received (copies of the peer's own topics coming back included), empty when it received none.
/// </summary>
public static class PeersCsv
{
    public const string FileName = "peers.csv";

    public static void Write(SimulationResults results, TextWriter writer)
    {
        var csv = new CsvWriter(writer);
        csv.Row("node", "kind", "honest", "topics_received", "copies_received", "duplicates_received", "copies_per_topic",
            "frames_sent", "bytes_sent", "frames_received", "bytes_received", "pow_hashes", "replies_sent", "replies_received",
            "earned_originator_msat", "earned_middleman_msat", "earned_replier_msat", "earned_favours_granted_msat",
            "paid_originator_msat", "paid_middleman_msat", "paid_replier_msat", "paid_favours_asked_msat", "net_msat");
        foreach (var p in results.Peers)
        {
            csv.Row(p.Node, p.Kind, p.Honest, p.TopicsReceived, p.CopiesReceived, p.DuplicatesReceived,
                p.TopicsReceived == 0 ? null : (double)p.CopiesReceived / p.TopicsReceived,
                p.FramesSent, p.BytesSent, p.FramesReceived, p.BytesReceived, p.PowHashes, p.RepliesSent, p.RepliesReceived,
                p.Earned.OriginatorMsat, p.Earned.MiddlemanMsat, p.Earned.ReplierMsat, p.Earned.FavourMsat,
                p.Paid.OriginatorMsat, p.Paid.MiddlemanMsat, p.Paid.ReplierMsat, p.Paid.FavourMsat, p.NetMsat);
        }
    }

    public static void Write(SimulationResults results, string path) => CsvWriter.ToFile(path, w => Write(results, w));
}
