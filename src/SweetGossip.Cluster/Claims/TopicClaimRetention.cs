namespace SweetGossip.Cluster.Claims;

/// <summary>
/// How long a claim is kept: until the topic's expiry, but at least <paramref name="Min"/> (copies racing the first one
/// are still deduplicated) and at most <paramref name="Max"/> from now (a caller's far-future expiry cannot pin memory).
/// </summary>
internal sealed record TopicClaimRetention(TimeSpan Min, TimeSpan Max, TimeProvider Clock)
{
    public DateTimeOffset Clamp(DateTimeOffset expiresAt)
    {
        var now = Clock.GetUtcNow();
        var earliest = now + Min;
        var latest = now + Max;
        return expiresAt < earliest ? earliest : expiresAt > latest ? latest : expiresAt;
    }

    public bool IsOver(DateTimeOffset keptUntil) => Clock.GetUtcNow() >= keptUntil;

    public TimeSpan Until(DateTimeOffset keptUntil)
    {
        var left = keptUntil - Clock.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
