using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Gossip;

/// <summary>
/// The whitepaper's answer to peers who never thank: each favour granted whose reply chain was never
/// paid raises the price of the next favour for that peer. Thanks bring it back down. Per peer, pure.
/// </summary>
public sealed class DifficultyPolicy(int baseBits, int maxExtraBits, int unthankedPerExtraBit)
{
    private readonly Dictionary<PublicKey, int> _unthanked = [];

    public int BaseBits { get; } = baseBits;

    /// <summary>The difficulty to ask of <paramref name="peer"/> now.</summary>
    public int BitsFor(PublicKey peer) =>
        BaseBits + Math.Min(maxExtraBits, _unthanked.GetValueOrDefault(peer) / Math.Max(1, unthankedPerExtraBit));

    /// <summary>A favour for <paramref name="peer"/> produced a reply that was never paid for.</summary>
    public void Unthanked(PublicKey peer) => _unthanked[peer] = _unthanked.GetValueOrDefault(peer) + 1;

    /// <summary>A reply relayed for <paramref name="peer"/> was paid (the ThankYou arrived).</summary>
    public void Thanked(PublicKey peer)
    {
        if (_unthanked.TryGetValue(peer, out var count))
        {
            if (count <= 1) _unthanked.Remove(peer);
            else _unthanked[peer] = count - unthankedPerExtraBit;
        }
    }
}
