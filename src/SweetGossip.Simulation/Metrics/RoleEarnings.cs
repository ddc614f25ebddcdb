namespace SweetGossip.Simulation.Metrics;

/// <summary>Money moved in one role across all peers; <see cref="Peers"/>: peers that paid or were paid in it.</summary>
public sealed record RoleEarnings(PaymentRole Role, long EarnedMsat, long PaidMsat, int Peers)
{
    public long NetMsat => EarnedMsat - PaidMsat;
}
