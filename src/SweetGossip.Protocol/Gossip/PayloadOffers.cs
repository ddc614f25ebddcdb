using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Gossip;

/// <summary>
/// Which peers offered (asked a favour for) which payload, until it expires. Gossip reaches a node by
/// several paths at once, so a second offer of a payload is normal; only a peer that offers the same
/// payload again is a chatterbox. This tells the two apart.
/// </summary>
public sealed class PayloadOffers
{
    private readonly Dictionary<PayloadId, (DateTimeOffset ExpiresAt, List<PublicKey> Peers)> _offers = [];
    private readonly PriorityQueue<PayloadId, DateTimeOffset> _byExpiry = new();

    public int Count => _offers.Count;

    /// <summary>Records the offer; true if <paramref name="peer"/> had not offered this payload before.</summary>
    public bool FirstFrom(PayloadId payload, PublicKey peer, DateTimeOffset expiresAt)
    {
        if (!_offers.TryGetValue(payload, out var entry))
        {
            _offers[payload] = (expiresAt, [peer]);
            _byExpiry.Enqueue(payload, expiresAt);
            return true;
        }
        if (entry.Peers.Contains(peer)) return false;
        entry.Peers.Add(peer);
        return true;
    }

    /// <summary>Forgets payloads that expired before <paramref name="now"/>.</summary>
    public void Expire(DateTimeOffset now)
    {
        while (_byExpiry.TryPeek(out var payload, out var expiresAt) && expiresAt < now)
        {
            _byExpiry.Dequeue();
            _offers.Remove(payload);
        }
    }
}
