using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>
/// earnings.csv: money by role (breakdown "role") and by honesty (breakdown "honesty"), in msat.
/// mean_net_msat is per peer of the group (for roles: per peer that paid or was paid in the role).
/// </summary>
public static class EarningsCsv
{
    public const string FileName = "earnings.csv";

    public static void Write(SimulationResults results, TextWriter writer)
    {
        var csv = new CsvWriter(writer);
        csv.Row("breakdown", "group", "peers", "earned_msat", "paid_msat", "net_msat", "mean_net_msat");
        foreach (var r in results.EarningsByRole)
            csv.Row("role", r.Role, r.Peers, r.EarnedMsat, r.PaidMsat, r.NetMsat, r.Peers == 0 ? 0.0 : (double)r.NetMsat / r.Peers);
        foreach (var g in results.EarningsByHonesty)
            csv.Row("honesty", g.Honest ? "honest" : "dishonest", g.Peers, g.EarnedMsat, g.PaidMsat, g.NetMsat, g.MeanNetMsat);
    }

    public static void Write(SimulationResults results, string path) => CsvWriter.ToFile(path, w => Write(results, w));
}
