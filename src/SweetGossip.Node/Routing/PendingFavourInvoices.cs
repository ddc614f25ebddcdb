using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Routing;

/// <summary>A Lightning favour waiting for settlement to issue its invoice.</summary>
internal sealed record PendingFavourInvoice(PublicKey Peer, AskForFavour Ask, ulong PriceMsat, DateTimeOffset AskedAt);

/// <summary>
/// Lightning favours whose invoice settlement is issuing, by payment hash. Bounded like the favour book: one per
/// (peer, payload), a per-peer and a total cap; an invoice settlement never answered for (it logs why) is forgotten
/// after a favour's validity, in time order.
/// </summary>
internal sealed class PendingFavourInvoices(int capacity, int perPeerCapacity, TimeSpan validity)
{
    private readonly Dictionary<Hash32, PendingFavourInvoice> _byHash = [];
    private readonly HashSet<(PublicKey Peer, PayloadId Payload)> _asked = [];
    private readonly Dictionary<PublicKey, int> _perPeer = [];
    private readonly Queue<Hash32> _byAge = new();

    public int Count => _byHash.Count;

    public bool Waiting(PublicKey peer, PayloadId payload) => _asked.Contains((peer, payload));

    public bool TryAdd(Hash32 paymentHash, PublicKey peer, AskForFavour ask, ulong priceMsat, DateTimeOffset now, out string why)
    {
        Expire(now);
        var held = _perPeer.GetValueOrDefault(peer);
        if (held >= perPeerCapacity) { why = $"{held} favour invoices being issued for it already"; return false; }
        if (_byHash.Count >= capacity) { why = $"{capacity} favour invoices being issued already"; return false; }
        _byHash[paymentHash] = new PendingFavourInvoice(peer, ask, priceMsat, now);
        _asked.Add((peer, ask.SignedRequest.Payload.PayloadId));
        _perPeer[peer] = held + 1;
        _byAge.Enqueue(paymentHash);
        if (_byAge.Count > 2 * capacity + 16) Compact();
        why = "";
        return true;
    }

    public bool TryTake(Hash32 paymentHash, DateTimeOffset now, out PendingFavourInvoice pending)
    {
        Expire(now);
        if (!_byHash.Remove(paymentHash, out pending!)) return false;
        Forget(pending);
        return true;
    }

    // Added in time order; a taken entry leaves its hash in the queue, skipped here.
    private void Expire(DateTimeOffset now)
    {
        while (_byAge.TryPeek(out var hash) && (!_byHash.TryGetValue(hash, out var head) || head.AskedAt + validity < now))
        {
            _byAge.Dequeue();
            if (_byHash.Remove(hash, out var expired)) Forget(expired);
        }
    }

    // Taken entries wait in the queue behind older live ones: drop them all now and then, so the queue stays bounded too.
    private void Compact()
    {
        var live = _byAge.Where(_byHash.ContainsKey).ToList();
        _byAge.Clear();
        foreach (var hash in live) _byAge.Enqueue(hash);
    }

    private void Forget(PendingFavourInvoice pending)
    {
        _asked.Remove((pending.Peer, pending.Ask.SignedRequest.Payload.PayloadId));
        if (_perPeer[pending.Peer] <= 1) _perPeer.Remove(pending.Peer);
        else _perPeer[pending.Peer]--;
    }
}
