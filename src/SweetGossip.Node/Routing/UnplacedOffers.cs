using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Node.Routing;

/// <summary>How many answers a hub member cannot place it publishes to every member for one peer: a rate and a burst.</summary>
public sealed record UnplacedOfferBudget(int PerSecond, int Burst)
{
    public UnplacedOfferBudget Validated() => PerSecond < 1 || Burst < 1
        ? throw new ArgumentOutOfRangeException(nameof(PerSecond), $"unplaced offers need a rate and a burst of at least 1 (got {PerSecond}/s, {Burst})")
        : this;
}

/// <summary>
/// One token bucket per linked peer for the answers a hub member publishes to every member (each costs one copy per
/// member, and a peer can make them up at will: random ask or payload ids). Kept only for linked peers, so it is bounded
/// by the peer table.
/// </summary>
internal sealed class UnplacedOffers(UnplacedOfferBudget budget)
{
    private readonly Dictionary<PublicKey, (double Tokens, DateTimeOffset At)> _buckets = [];

    public int Count => _buckets.Count;

    /// <summary>Takes one token of <paramref name="peer"/>'s bucket; false past its budget.</summary>
    public bool TryTake(PublicKey peer, DateTimeOffset now)
    {
        var (tokens, at) = _buckets.TryGetValue(peer, out var bucket) ? bucket : (budget.Burst, now);
        // A clock that went back refills nothing.
        var elapsed = Math.Max(0, (now - at).TotalSeconds);
        tokens = Math.Min(budget.Burst, tokens + elapsed * budget.PerSecond);
        var taken = tokens >= 1;
        _buckets[peer] = (taken ? tokens - 1 : tokens, now);
        return taken;
    }

    public void Forget(PublicKey peer) => _buckets.Remove(peer);
}
