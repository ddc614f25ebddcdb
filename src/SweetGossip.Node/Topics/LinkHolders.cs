using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Topics;

/// <summary>
/// The guardian's note of which topics were handed a peer's link (to send their asks and broadcasts straight there), so
/// that when the link closes or a newer one replaces it those topics are told and send through the guardian instead: a
/// peer that redials mid-topic gets its broadcast on the new link, not in the closed one's dead letters. Keyed by payload
/// id (the topic's name), not by actor. Bounded like the topics: an entry goes when its topic ends or the link closes.
/// </summary>
internal sealed class LinkHolders
{
    // Null while no topic holds a link (most of a node's life once its topics ended): an emptied table kept its arrays,
    // ≈ 430 bytes per simulated peer. Nothing depends on its order (only on which topics each peer's set holds).
    private Dictionary<PublicKey, HashSet<PayloadId>>? _byPeer;

    /// <summary>Peers with at least one topic holding their link.</summary>
    public int Count => _byPeer?.Count ?? 0;

    public void Handed(PublicKey peer, PayloadId topic)
    {
        _byPeer ??= [];
        if (!_byPeer.TryGetValue(peer, out var topics)) _byPeer[peer] = topics = [];
        topics.Add(topic);
    }

    /// <summary>
    /// A topic ended: it holds no peer's link any more. Every peer is looked at, not only those the topic asked: peers
    /// chosen for it while it was stopping (their PeersChosen never reached it) were handed too.
    /// </summary>
    public void Ended(PayloadId topic)
    {
        if (_byPeer is null) return;
        List<PublicKey>? emptied = null;
        foreach (var (peer, topics) in _byPeer)
            if (topics.Remove(topic) && topics.Count == 0) (emptied ??= []).Add(peer);
        if (emptied is not null) foreach (var peer in emptied) _byPeer.Remove(peer);
        if (_byPeer.Count == 0) _byPeer = null;
    }

    /// <summary>The topics that were handed the peer's link, forgotten now (they are told it closed).</summary>
    public IReadOnlyCollection<PayloadId> Take(PublicKey peer)
    {
        if (_byPeer is null || !_byPeer.Remove(peer, out var topics)) return [];
        if (_byPeer.Count == 0) _byPeer = null;
        return topics;
    }
}
