using Akka.Actor;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cluster.Peers;

/// <summary>
/// Frames for peers whose link closed a moment ago, held until the peer's new link registers (here, or on another member
/// the hub learns of by gossip) or their deadline passes. Bounded per peer and overall: past either, a frame is not held.
/// </summary>
internal sealed class HeldFrames(int perPeer, int overall)
{
    private readonly Dictionary<PublicKey, List<HeldFrame>> _byPeer = [];

    public int Count { get; private set; }

    public int Peers => _byPeer.Count;

    public IEnumerable<PublicKey> HeldPeers => _byPeer.Keys;

    /// <summary>
    /// Holds the frame unless its peer has <c>perPeer</c> (counting <paramref name="elsewhereForPeer"/>) or this member
    /// <c>overall</c> (counting <paramref name="elsewhere"/>); elsewhere: frames being retried, not held right now.
    /// </summary>
    public bool TryHold(HeldFrame frame, int elsewhere = 0, int elsewhereForPeer = 0)
    {
        if (Count + elsewhere >= overall) return false;
        var peerHas = _byPeer.TryGetValue(frame.Delivery.Peer, out var frames) ? frames.Count : 0;
        if (peerHas + elsewhereForPeer >= perPeer) return false;
        if (frames is null) _byPeer[frame.Delivery.Peer] = frames = [];
        frames.Add(frame);
        Count++;
        return true;
    }

    /// <summary>The peer's held frames, in the order they came, no longer held.</summary>
    public IReadOnlyList<HeldFrame> Take(PublicKey peer)
    {
        if (!_byPeer.Remove(peer, out var frames)) return [];
        Count -= frames.Count;
        return frames;
    }

    /// <summary>Every held frame, no longer held.</summary>
    public IReadOnlyList<HeldFrame> TakeAll()
    {
        var all = new List<HeldFrame>(Count);
        foreach (var frames in _byPeer.Values) all.AddRange(frames);
        _byPeer.Clear();
        Count = 0;
        return all;
    }
}

/// <summary>A held frame: who sent it (answered if it is never delivered), until when it is held, and why it was not delivered.</summary>
internal sealed record HeldFrame(PeerDelivery Delivery, IActorRef Sender, DateTimeOffset Until, string Reason);
