using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Gossip;

/// <summary>
/// Which peers offered (asked a favour for) which payload, until it expires. Gossip reaches a node by
/// several paths at once, so a second offer of a payload is normal; only a peer that offers the same
/// payload again is a chatterbox. This tells the two apart. Bounded: payloads are kept in the order first offered,
/// and past <paramref name="capacity"/> the first offered is forgotten; one past its expiry goes when it reaches the front.
/// </summary>
public sealed class PayloadOffers(int capacity = 10_000)
{
    private readonly Dictionary<PayloadId, (DateTimeOffset ExpiresAt, List<PublicKey> Peers)> _offers = [];
    // Exactly the keys of _offers, in the order they were added: removal happens only here, so both stay bounded.
    private readonly Queue<PayloadId> _byArrival = new();

    public int Count => _offers.Count;

    /// <summary>Records the offer; true if <paramref name="peer"/> had not offered this payload before (while it is live).</summary>
    public bool FirstFrom(PayloadId payload, PublicKey peer, DateTimeOffset expiresAt)
    {
        if (_offers.TryGetValue(payload, out var entry))
        {
            if (entry.Peers.Contains(peer)) return false;
            entry.Peers.Add(peer);
            return true;
        }
        while (_offers.Count >= capacity && _byArrival.TryDequeue(out var oldest)) _offers.Remove(oldest);
        _offers[payload] = (expiresAt, [peer]);
        _byArrival.Enqueue(payload);
        return true;
    }

    /// <summary>The peers that offered <paramref name="payload"/> (while it is live): they hold it, asking them would be wasted.</summary>
    public IReadOnlyCollection<PublicKey> Offerers(PayloadId payload) => _offers.TryGetValue(payload, out var entry) ? entry.Peers : [];

    /// <summary>Forgets payloads that expired before <paramref name="now"/>, from the first offered on, up to one still live.</summary>
    public void Expire(DateTimeOffset now)
    {
        while (_byArrival.TryPeek(out var payload) && _offers[payload].ExpiresAt < now)
            _offers.Remove(_byArrival.Dequeue());
    }
}
