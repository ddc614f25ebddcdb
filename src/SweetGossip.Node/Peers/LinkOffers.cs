using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Peers;

/// <summary>
/// The payloads one peer has asked favours for on this link, until they expire: a payload offered again by the
/// same peer is a chatterbox's (offered by another peer, it is gossip arriving by a second path). Kept by the link's
/// own connection, so duplicates are told apart on every core without the node's guardian. Bounded: past the
/// capacity the oldest offers are forgotten first.
/// </summary>
internal sealed class LinkOffers(int capacity = 8_192)
{
    private readonly Dictionary<PayloadId, DateTimeOffset> _offered = [];
    private readonly Queue<(PayloadId Payload, DateTimeOffset ExpiresAt)> _byArrival = new();

    public int Count => _offered.Count;

    /// <summary>Records the offer; true if this peer had not offered the payload before (while it is live).</summary>
    public bool First(PayloadId payload, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        while (_byArrival.TryPeek(out var head) && (head.ExpiresAt < now || _offered.Count >= capacity))
        {
            _byArrival.Dequeue();
            if (_offered.TryGetValue(head.Payload, out var until) && until == head.ExpiresAt) _offered.Remove(head.Payload);
        }
        if (!_offered.TryAdd(payload, expiresAt)) return false;
        _byArrival.Enqueue((payload, expiresAt));
        return true;
    }
}
