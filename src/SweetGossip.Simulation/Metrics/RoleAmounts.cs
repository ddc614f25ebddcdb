namespace SweetGossip.Simulation.Metrics;

/// <summary>Millisatoshi amounts by <see cref="PaymentRole"/>.</summary>
public sealed record RoleAmounts(long OriginatorMsat, long MiddlemanMsat, long ReplierMsat, long FavourMsat)
{
    public static RoleAmounts Zero { get; } = new(0, 0, 0, 0);

    public long TotalMsat => OriginatorMsat + MiddlemanMsat + ReplierMsat + FavourMsat;

    public long this[PaymentRole role] => role switch
    {
        PaymentRole.Originator => OriginatorMsat,
        PaymentRole.Middleman => MiddlemanMsat,
        PaymentRole.Replier => ReplierMsat,
        PaymentRole.Favour => FavourMsat,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };
}
