namespace SweetGossip.Simulation.Metrics;

/// <summary>Earnings of the honest or the dishonest peers together (all roles).</summary>
public sealed record GroupEarnings(bool Honest, int Peers, long EarnedMsat, long PaidMsat)
{
    public long NetMsat => EarnedMsat - PaidMsat;

    /// <summary>Net per peer of the group; 0 for an empty group.</summary>
    public double MeanNetMsat => Peers == 0 ? 0 : (double)NetMsat / Peers;
}
