using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Peers;

/// <summary>
/// The payloads one peer has asked favours for on this link, until they expire: a payload offered again by the
/// same peer is a chatterbox's (offered by another peer, it is gossip arriving by a second path). Kept by the link's
/// own connection, so duplicates are told apart on every core without the node's guardian. Bounded: past the
/// capacity the oldest offers are forgotten first.
/// </summary>
/// <remarks>
/// One per link (8 per simulated peer), and a link holds a few live offers: they are one ring in arrival order,
/// searched by scanning while short, with a set made only for a long one. A dictionary and a queue cost ≈ 400 bytes
/// per link even when nearly empty.
/// </remarks>
internal sealed class LinkOffers(int capacity = 8_192)
{
    // Up to this many offers a scan is cheaper than a set (and costs no memory).
    private const int ScannedUpTo = 16;

    // Expiries as UTC ticks (compared as the times are): 24 bytes an offer instead of 32 (one ring per link, 8 per simulated peer).
    private (PayloadId Payload, long ExpiresAtUtcTicks)[] _ring = [];
    private int _head;
    private int _count;
    private HashSet<PayloadId>? _index;

    public int Count => _count;

    /// <summary>Records the offer; true if this peer had not offered the payload before (while it is live).</summary>
    public bool First(PayloadId payload, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        while (_count > 0 && (_ring[_head].ExpiresAtUtcTicks < now.UtcTicks || _count >= capacity)) ForgetOldest();
        if (Contains(payload)) return false;
        if (_count == _ring.Length) Grow();
        _ring[(_head + _count) % _ring.Length] = (payload, expiresAt.UtcTicks);
        _count++;
        if (_index is not null) _index.Add(payload);
        else if (_count > ScannedUpTo) _index = [.. Live()];
        return true;
    }

    private bool Contains(PayloadId payload)
    {
        if (_index is not null) return _index.Contains(payload);
        for (var i = 0; i < _count; i++)
            if (_ring[(_head + i) % _ring.Length].Payload == payload) return true;
        return false;
    }

    private void ForgetOldest()
    {
        _index?.Remove(_ring[_head].Payload);
        _ring[_head] = default;
        _head = (_head + 1) % _ring.Length;
        if (--_count > 0) return;
        // Empty: give the room back (a link that saw a burst keeps nothing of it).
        (_ring, _head, _index) = ([], 0, null);
    }

    private void Grow()
    {
        var grown = new (PayloadId, long)[Math.Min(Math.Max(4, _ring.Length * 2), Math.Max(4, capacity))];
        for (var i = 0; i < _count; i++) grown[i] = _ring[(_head + i) % _ring.Length];
        (_ring, _head) = (grown, 0);
    }

    private IEnumerable<PayloadId> Live()
    {
        for (var i = 0; i < _count; i++) yield return _ring[(_head + i) % _ring.Length].Payload;
    }
}
