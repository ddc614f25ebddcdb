using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Gossip;

/// <summary>
/// The whitepaper's answer to peers who never thank: each favour granted whose reply chain was never
/// paid raises the price of the next favour for that peer. Thanks bring it back down. Per peer, pure.
/// </summary>
/// <param name="capacity">Peers remembered; past it the one with the fewest unthanked favours is forgotten first.</param>
public sealed class DifficultyPolicy(int baseBits, int maxExtraBits, int unthankedPerExtraBit, int capacity = 100_000)
{
    // Made at the first unthanked favour: most nodes never see one (an empty table is 80 bytes of every simulated peer).
    private Dictionary<PublicKey, int>? _unthanked;

    public int BaseBits { get; } = baseBits;

    /// <summary>Peers with unthanked favours on record (a thanked peer's entry goes when its count reaches zero).</summary>
    public int Count => _unthanked?.Count ?? 0;

    /// <summary>The difficulty to ask of <paramref name="peer"/> now.</summary>
    public int BitsFor(PublicKey peer) =>
        BaseBits + Math.Min(maxExtraBits, (_unthanked?.GetValueOrDefault(peer) ?? 0) / Math.Max(1, unthankedPerExtraBit));

    /// <summary>A favour for <paramref name="peer"/> produced a reply that was never paid for.</summary>
    public void Unthanked(PublicKey peer)
    {
        var unthanked = _unthanked ??= [];
        if (!unthanked.ContainsKey(peer) && unthanked.Count >= capacity)
            unthanked.Remove(unthanked.MinBy(e => e.Value).Key);
        // Past the most extra bits there is nothing more to count: the count stays where it caps the difficulty.
        unthanked[peer] = Math.Min(unthanked.GetValueOrDefault(peer) + 1, Math.Max(1, maxExtraBits * Math.Max(1, unthankedPerExtraBit)));
    }

    /// <summary>A reply relayed for <paramref name="peer"/> was paid (the ThankYou arrived).</summary>
    public void Thanked(PublicKey peer)
    {
        if (_unthanked is not null && _unthanked.TryGetValue(peer, out var count))
        {
            if (count <= unthankedPerExtraBit) _unthanked.Remove(peer);
            else _unthanked[peer] = count - unthankedPerExtraBit;
        }
    }
}
