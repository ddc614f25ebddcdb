using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Routing;

/// <summary>A Lightning favour waiting for settlement to issue its invoice.</summary>
/// <param name="Offer">What the favour answers: an <see cref="AskForFavour"/> or a <see cref="TopicAnnouncement"/>.</param>
/// <param name="Preimage">Kept here, not given to settlement: the router settles only a favour still open when paid.</param>
internal sealed record PendingFavourInvoice(PublicKey Peer, Frame Offer, PayloadId Payload, ulong PriceMsat, DateTimeOffset AskedAt, Hash32 Preimage);

/// <summary>
/// Lightning favours whose invoice settlement is issuing, by payment hash. Bounded like the favour book: one per
/// (peer, payload), a per-peer and a total cap; an invoice settlement never answered for (it logs why) is forgotten
/// after a favour's validity, in time order.
/// </summary>
internal sealed class PendingFavourInvoices
{
    private readonly int _capacity;
    private readonly int _perPeerCapacity;
    private readonly TimeSpan _validity;
    private readonly ExpiringEntries<Hash32, PendingFavourInvoice> _byHash;
    // Made at the first invoice (none in proof-of-work runs): three empty tables were 220 bytes of every simulated peer.
    private HashSet<(PublicKey Peer, PayloadId Payload)>? _asked;
    private Dictionary<PublicKey, int>? _perPeer;
    private Dictionary<PublicKey, int>? _announcedPerPeer;

    public PendingFavourInvoices(int capacity, int perPeerCapacity, TimeSpan validity)
    {
        (_capacity, _perPeerCapacity, _validity) = (capacity, perPeerCapacity, validity);
        _byHash = new ExpiringEntries<Hash32, PendingFavourInvoice>(capacity) { Removed = Forget };
    }

    public int Count => _byHash.Count;

    public bool Waiting(PublicKey peer, PayloadId payload) => _asked?.Contains((peer, payload)) == true;

    /// <summary>Invoices being issued for <paramref name="peer"/>'s announcements.</summary>
    public int AnnouncementsFor(PublicKey peer) => _announcedPerPeer?.GetValueOrDefault(peer) ?? 0;

    public bool TryAdd(Hash32 preimage, PublicKey peer, Frame offer, PayloadId payload, ulong priceMsat, DateTimeOffset now, out string why)
    {
        _byHash.Expire(now);
        var held = _perPeer?.GetValueOrDefault(peer) ?? 0;
        if (held >= _perPeerCapacity) { why = $"{held} favour invoices being issued for it already"; return false; }
        if (_byHash.Count >= _capacity) { why = $"{_capacity} favour invoices being issued already"; return false; }
        why = "";
        if (!_byHash.TryAdd(preimage.Sha256(), new PendingFavourInvoice(peer, offer, payload, priceMsat, now, preimage), now + _validity, now)) return false;
        (_asked ??= []).Add((peer, payload));
        (_perPeer ??= [])[peer] = held + 1;
        if (offer is TopicAnnouncement)
        {
            var announced = _announcedPerPeer ??= [];
            announced[peer] = announced.GetValueOrDefault(peer) + 1;
        }
        return true;
    }

    public bool TryTake(Hash32 paymentHash, DateTimeOffset now, out PendingFavourInvoice pending) => _byHash.TryTake(paymentHash, now, out pending);

    private void Forget(PendingFavourInvoice pending)
    {
        // All three were made when this invoice was added.
        _asked!.Remove((pending.Peer, pending.Payload));
        if (_perPeer![pending.Peer] <= 1) _perPeer.Remove(pending.Peer);
        else _perPeer[pending.Peer]--;
        if (pending.Offer is not TopicAnnouncement) return;
        if (_announcedPerPeer![pending.Peer] <= 1) _announcedPerPeer.Remove(pending.Peer);
        else _announcedPerPeer[pending.Peer]--;
    }
}
