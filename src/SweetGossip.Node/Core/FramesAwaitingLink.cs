using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;

namespace SweetGossip.Node.Core;

/// <summary>
/// Frames for a peer with no link at this node yet, those a closed link handed back (<see cref="Peers.FrameReturned"/>)
/// included: over TCP a redialled peer's new connection starts only once its old one has stopped, so a broadcast whose proof
/// of work finished in between, or that the old link handed back, comes before it. Held until the
/// peer's next link comes up or their deadline passes; bounded per peer and overall (past either, a frame is not held).
/// </summary>
internal sealed class FramesAwaitingLink(int perPeer, int overall)
{
    // Made at the first frame held, then kept (its order is walked): most simulated nodes never hold one (empty, 80 bytes).
    private Dictionary<PublicKey, List<(Frame Frame, DateTimeOffset Until)>>? _byPeer;

    public int Count { get; private set; }

    /// <summary>When the first held frame's deadline passes; null when none is held.</summary>
    public DateTimeOffset? Earliest { get; private set; }

    public bool TryHold(PublicKey peer, Frame frame, DateTimeOffset until)
    {
        if (Count >= overall) return false;
        _byPeer ??= [];
        if (!_byPeer.TryGetValue(peer, out var frames)) frames = null;
        if (frames is not null && frames.Count >= perPeer) return false;
        if (frames is null) _byPeer[peer] = frames = [];
        frames.Add((frame, until));
        Count++;
        if (Earliest is null || until < Earliest) Earliest = until;
        return true;
    }

    /// <summary>The peer's held frames, in the order they came back, no longer held.</summary>
    public IReadOnlyList<Frame> Take(PublicKey peer)
    {
        if (_byPeer is null || !_byPeer.Remove(peer, out var frames)) return [];
        Count -= frames.Count;
        if (Count == 0) Earliest = null;
        return frames.ConvertAll(f => f.Frame);
    }

    /// <summary>Drops the frames whose deadline has passed; returns how many.</summary>
    public int DropExpired(DateTimeOffset now)
    {
        if (_byPeer is null) return 0;
        var dropped = 0;
        DateTimeOffset? earliest = null;
        List<PublicKey>? emptied = null;
        foreach (var (peer, frames) in _byPeer)
        {
            dropped += frames.RemoveAll(f => f.Until <= now);
            if (frames.Count == 0) (emptied ??= []).Add(peer);
            foreach (var (_, until) in frames)
                if (earliest is null || until < earliest) earliest = until;
        }
        if (emptied is not null) foreach (var peer in emptied) _byPeer.Remove(peer);
        Count -= dropped;
        Earliest = earliest;
        return dropped;
    }
}
