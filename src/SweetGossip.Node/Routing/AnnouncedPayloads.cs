using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Routing;

/// <summary>What to do with a topic announcement for a payload this node has not received.</summary>
public enum AnnouncementDecision
{
    /// <summary>No favour is out for this payload: grant one to this announcer now.</summary>
    Grant,

    /// <summary>A favour is out to another announcer: remember this one, to ask if that favour is never delivered.</summary>
    Wait,

    /// <summary>A favour is out and enough further announcers are remembered, none it may replace: nothing to do (not the peer's fault).</summary>
    Ignore,

    /// <summary>The same peer announced the same payload again: a chatterbox.</summary>
    Duplicate,
}

/// <summary>
/// Payloads announced to this node and not yet received (announce dissemination, docs/protocol.md D24), with no I/O:
/// which announcers hold a favour for each, until when its broadcast is awaited, and who else announced it. One
/// favour is out per payload at a time, so a payload costs about one copy; a favour not redeemed by its deadline goes
/// to the next announcer, so a peer that announces and never delivers cannot cut this node off the topic. Bounded:
/// at most <c>capacity</c> payloads (the oldest forgotten first) and <c>maxAnnouncers</c> further announcers each.
/// </summary>
/// <param name="gatherWindow">
/// How long after a payload's first announcement its announcers are gathered before one is granted: the one with the
/// fewest undelivered favours, then the most hops_remaining (the shortest path from the origin), one more for an
/// announcer that delivered here before; the first among equals. Zero: the first announcer at once.
/// </param>
/// <param name="rankByDeliveries">Whether having delivered here before counts a hop more (off: misses, then hops only).</param>
public sealed class AnnouncedPayloads(int capacity, int maxAnnouncers, TimeSpan deliverTimeout, TimeSpan gatherWindow = default, bool rankByDeliveries = true)
{
    private readonly Dictionary<PayloadId, Entry> _entries = [];
    // In first-announcement order: the oldest goes when full.
    private readonly LinkedList<PayloadId> _byAge = new();
    // Deadlines of favours out, checked lazily against the entry (a payload received or regranted leaves a stale one).
    private readonly PriorityQueue<PayloadId, DateTimeOffset> _deadlines = new();
    // Announcers whose favour ran out undelivered, and how often (less one per delivery): ranked after the others, so
    // a peer announcing every payload with the most hops_remaining and never delivering wins the gather once, not always.
    // Bounded: past capacity the announcer with the fewest misses goes, the one that missed longest ago among equals
    // (clearing would let Sybils that each miss once wipe the record of the worst liar; the table's own order would
    // evict the newest entry next, so two liars taking turns would wipe each other's record).
    // Made at the first undelivered favour (never in fanout runs): an empty table is 80 bytes per simulated peer.
    private Dictionary<PublicKey, (int Misses, long LastMiss)>? _undelivered;
    private long _missCount;
    // Announcers that delivered a payload first here: a hop ahead of those that never did, so Sybils that link to this
    // node and announce as near the origin (GossipSub's flash and covert-flash attacks) lose the gather to its proven
    // neighbours (GossipSub v1.1's first-message deliveries, P2, as a yes/no: counting would always pick the same one).
    // Bounded: past capacity one entry goes (see Received); an entry costs a valid payload delivered first.
    private HashSet<PublicKey>? _delivered;
    // What having delivered before is worth, in hops: a proven neighbour wins against a new announcer on an equally long
    // path (a Sybil link) but not against one a hop nearer, so paths stay near the shortest (docs/simulation.md).
    private const int ProvenBonusHops = 1;

    public int Count => _entries.Count;

    /// <summary>Deadlines queued, stale ones included (bounded: at most twice the capacity and one).</summary>
    public int PendingDeadlines => _deadlines.Count;

    /// <summary>The earliest deadline of a favour out, if any (stale ones included: a tick that finds nothing due is harmless).</summary>
    public DateTimeOffset? NextDeadline => _deadlines.TryPeek(out _, out var at) ? at : null;

    public AnnouncementDecision OnAnnouncement(PublicKey peer, TopicAnnouncement announcement, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(announcement.PayloadId, out var entry))
        {
            if (_entries.Count >= capacity && _byAge.First is { } oldest) Forget(oldest.Value);
            _entries[announcement.PayloadId] = entry = new Entry(_byAge.AddLast(announcement.PayloadId));
            if (gatherWindow > TimeSpan.Zero)
            {
                entry.Deadline = now + gatherWindow;
                Enqueue(announcement.PayloadId, entry.Deadline.Value);
            }
        }
        if (entry.Granted.Any(g => g.Peer.Equals(peer)) || entry.Waiting.Any(w => w.Peer.Equals(peer))) return AnnouncementDecision.Duplicate;
        if (entry.Deadline is null) return AnnouncementDecision.Grant;
        if (entry.Waiting.Count >= maxAnnouncers)
        {
            // Full of announcers that never delivered (an eclipse): a proven one takes the place of the unproven one ranked
            // last (the latest among equals). Only a proven one: hops_remaining is the announcer's word, and a newcomer
            // claiming the most hops must not push out honest announcers, who do not announce again.
            if (!IsProven(peer)) return AnnouncementDecision.Ignore;
            var worst = -1;
            for (var i = 0; i < entry.Waiting.Count; i++)
                if (!IsProven(entry.Waiting[i].Peer) && (worst < 0 || !Outranks(entry.Waiting[i], entry.Waiting[worst]))) worst = i;
            if (worst < 0) return AnnouncementDecision.Ignore;
            entry.Waiting.RemoveAt(worst);
        }
        entry.Waiting.Add((peer, announcement));
        return AnnouncementDecision.Wait;
    }

    /// <summary>A favour went to <paramref name="peer"/>: its broadcast is awaited until now + deliver-timeout.</summary>
    public void Granted(PublicKey peer, PayloadId payloadId, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(payloadId, out var entry)) return;
        entry.Deadline = now + deliverTimeout;
        entry.Granted.Add((peer, entry.Deadline.Value));
        Enqueue(payloadId, entry.Deadline.Value);
    }

    /// <summary>No favour could be granted to the announcer after all (book full, too many topics): the next one may be asked.</summary>
    public void NotGranted(PayloadId payloadId)
    {
        if (_entries.TryGetValue(payloadId, out var entry) && entry.Deadline is null && entry.Waiting.Count == 0) Forget(payloadId);
    }

    /// <summary>
    /// Favours out past their deadline: for each such payload the next announcer to grant a favour to (the old favour
    /// stays valid: whichever broadcast comes first wins). A payload with no announcer left is forgotten: the next
    /// announcement for it is granted at once.
    /// </summary>
    public IReadOnlyList<(PublicKey Peer, TopicAnnouncement Announcement)> Due(DateTimeOffset now)
    {
        List<(PublicKey, TopicAnnouncement)>? next = null;
        while (_deadlines.TryPeek(out var payloadId, out var at) && at <= now)
        {
            _deadlines.Dequeue();
            if (!_entries.TryGetValue(payloadId, out var entry) || entry.Deadline is not { } deadline || deadline > now) continue; // stale
            entry.Deadline = null;
            if (entry.Granted.Count > 0) Undelivered(entry.Granted[^1].Peer);
            if (TakeBest(entry) is { } waiting) (next ??= []).Add(waiting);
            else Forget(payloadId);
        }
        return next ?? [];
    }

    /// <summary>
    /// <paramref name="peer"/> declined the favour it holds for the payload. <c>InTime</c>: before its own deliver deadline,
    /// so it held the payload's turn no longer than allowed (a decline later, or for a payload no longer awaited here, is
    /// not). <c>Next</c>: the next announcer, to grant one to at once, if <paramref name="peer"/> is the one awaited.
    /// </summary>
    public (bool InTime, (PublicKey Peer, TopicAnnouncement Announcement)? Next) Declined(PublicKey peer, PayloadId payloadId, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(payloadId, out var entry)) return (false, null);
        var at = entry.Granted.FindLastIndex(g => g.Peer.Equals(peer));
        if (at < 0) return (false, null);
        var inTime = now < entry.Granted[at].Deadline;
        // Declined after holding the payload's turn more than half its deliver-timeout: ranked as a miss (not scored: an
        // honest announcer whose proof cannot be done in time declines late too), so a Sybil cannot hold every turn
        // until just before its deadline and stay first in line.
        if (inTime && entry.Granted[at].Deadline - now < deliverTimeout / 2) Undelivered(peer);
        entry.Granted.RemoveAt(at); // it will send nothing: no AlreadyHave for it later
        if (at != entry.Granted.Count || entry.Deadline is null) return (inTime, null); // not the one awaited
        entry.Deadline = null; // its deadline in the queue is stale now
        if (TakeBest(entry) is { } next) return (inTime, next);
        Forget(payloadId);
        return (inTime, null);
    }

    /// <summary>
    /// The payload arrived from <paramref name="from"/>: forgotten here; the other peers that hold a favour for it are
    /// returned, to be told this node already has it. <c>InTime</c>: told before its own deliver deadline; one past it
    /// held the payload's turn until the node moved on to another announcer.
    /// </summary>
    public IReadOnlyList<(PublicKey Peer, bool InTime)> Received(PayloadId payloadId, PublicKey from, DateTimeOffset now)
    {
        if (rankByDeliveries)
        {
            var delivered = _delivered ??= [];
            // Full: one goes (the first in the set's order), not all: clearing would reset every honest neighbour at once.
            if (delivered.Count >= capacity && !delivered.Contains(from)) delivered.Remove(delivered.First());
            delivered.Add(from);
        }
        if (_undelivered is not null && _undelivered.TryGetValue(from, out var record))
        {
            if (record.Misses <= 1) _undelivered.Remove(from);
            else _undelivered[from] = record with { Misses = record.Misses - 1 };
        }
        if (!_entries.TryGetValue(payloadId, out var entry)) return [];
        Forget(payloadId);
        return entry.Granted.Where(g => !g.Peer.Equals(from)).Select(g => (g.Peer, now < g.Deadline)).ToList();
    }

    private void Undelivered(PublicKey peer)
    {
        // A proven announcer that lets a favour run out is proven no more: one early delivery is no lasting credit.
        _delivered?.Remove(peer);
        var undelivered = _undelivered ??= [];
        if (undelivered.Count >= capacity && !undelivered.ContainsKey(peer)) undelivered.Remove(FewestMisses(undelivered));
        undelivered[peer] = (undelivered.GetValueOrDefault(peer).Misses + 1, ++_missCount);
    }

    /// <summary>The announcer with the fewest misses, the one that missed longest ago among equals (O(capacity), only when full).</summary>
    private static PublicKey FewestMisses(Dictionary<PublicKey, (int Misses, long LastMiss)> undelivered)
    {
        var (least, fewest) = (default(PublicKey), (Misses: int.MaxValue, LastMiss: long.MaxValue));
        foreach (var (peer, record) in undelivered)
            if (record.Misses < fewest.Misses || (record.Misses == fewest.Misses && record.LastMiss < fewest.LastMiss)) (least, fewest) = (peer, record);
        return least!;
    }

    /// <summary>The waiting announcer ranked first (<see cref="Outranks"/>), the first among equals.</summary>
    private (PublicKey Peer, TopicAnnouncement Announcement)? TakeBest(Entry entry)
    {
        if (entry.Waiting.Count == 0) return null;
        var best = 0;
        for (var i = 1; i < entry.Waiting.Count; i++)
            if (Outranks(entry.Waiting[i], entry.Waiting[best])) best = i;
        var taken = entry.Waiting[best];
        entry.Waiting.RemoveAt(best);
        return taken;
    }

    /// <summary>
    /// Whether <paramref name="a"/> is asked before <paramref name="b"/>: fewer undelivered favours, then a higher
    /// <see cref="Standing"/> (more hops_remaining, the shorter path back to the origin; a hop more if proven).
    /// </summary>
    private bool Outranks((PublicKey Peer, TopicAnnouncement Announcement) a, (PublicKey Peer, TopicAnnouncement Announcement) b)
    {
        var (missesA, missesB) = (_undelivered?.GetValueOrDefault(a.Peer).Misses ?? 0, _undelivered?.GetValueOrDefault(b.Peer).Misses ?? 0);
        if (missesA != missesB) return missesA < missesB;
        return Standing(a) > Standing(b);
    }

    /// <summary>hops_remaining, one more for an announcer that delivered a payload first here before.</summary>
    private int Standing((PublicKey Peer, TopicAnnouncement Announcement) announcer) =>
        announcer.Announcement.HopsRemaining + (IsProven(announcer.Peer) ? ProvenBonusHops : 0);

    private bool IsProven(PublicKey peer) => rankByDeliveries && _delivered is not null && _delivered.Contains(peer);

    /// <summary>
    /// Queues a deadline. Stale ones stay until due, and nothing takes them out where <see cref="Due"/> is never called
    /// (a fanout node still answers announcements): past twice the capacity the queue is rebuilt from the live entries.
    /// </summary>
    private void Enqueue(PayloadId payloadId, DateTimeOffset at)
    {
        if (_deadlines.Count >= 2 * capacity)
        {
            var live = _entries.Where(e => e.Value.Deadline is not null).Select(e => (e.Key, e.Value.Deadline!.Value)).ToList();
            _deadlines.Clear();
            foreach (var (id, deadline) in live) _deadlines.Enqueue(id, deadline);
        }
        _deadlines.Enqueue(payloadId, at);
    }

    private void Forget(PayloadId payloadId)
    {
        if (_entries.Remove(payloadId, out var entry)) _byAge.Remove(entry.AgeNode);
    }

    private sealed class Entry(LinkedListNode<PayloadId> ageNode)
    {
        public LinkedListNode<PayloadId> AgeNode { get; } = ageNode;
        // Each with its own deliver deadline: when this node moved, or will move, on to the next announcer.
        public List<(PublicKey Peer, DateTimeOffset Deadline)> Granted { get; } = [];
        public List<(PublicKey Peer, TopicAnnouncement Announcement)> Waiting { get; } = [];
        public DateTimeOffset? Deadline { get; set; }
    }
}
