using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Node.Routing;

/// <summary>
/// Which linked peers a topic asks, with GossipSub v1.1's defences against Sybils that take topics and drop them:
/// <list type="bullet">
/// <item>an outbound quota (GossipSub's D_out): the first <c>outbound-quota</c> asks go to peers this node dialled itself
/// (not in deficit), so identities dialling in, however many, cannot take every ask;</item>
/// <item>delivery ranking (GossipSub's P3 mesh-delivery deficit): a peer handed <c>deficit-after</c> topics since its last
/// first delivery (GossipSub's P2: a new, valid topic this node accepted from it) is asked last (and loses score, by the
/// caller); a peer that has delivered first is asked first; of peers not heard from yet, those this node dialled first.
/// An ask alone earns nothing: replaying asks for old requests is free, delivering a new topic is not;</item>
/// <item>exploration: <c>exploration</c> asks go to a random peer not in deficit, so a peer nobody has heard from yet is
/// still reached and can prove itself;</item>
/// <item>opportunistic grafting (GossipSub v1.1): while the peers not in deficit deliver little (after a flash of Sybils),
/// peers in deficit that delivered more, that this node dialled, or that are linked longest are asked again
/// (<see cref="GraftOpportunistically"/>).</item>
/// </list>
/// Within a rank the choice is random (seeded in simulations). With all three off it is a uniform choice. Bounded by the
/// peer table: a peer's record goes with its link. Not thread-safe: the node's guardian owns it.
/// </summary>
public sealed class PeerChoice(PeerChoiceSettings settings, Random random)
{
    private readonly List<PublicKey> _order = [];
    private readonly Dictionary<PublicKey, Record> _records = [];

    /// <summary>The seed of a node's peer choice, from the node's <see cref="NodeSettings.Seed"/> (its router draws from that seed itself).</summary>
    public static int SeedOf(int nodeSeed) => nodeSeed ^ 0x5eed;

    // The node's own clock for delivery scores and grafting: new topics it accepted (no wall time: I/O-free, seeded runs).
    private long _accepted;

    public int Count => _records.Count;

    /// <summary>A link is up; <paramref name="dialled"/>: this node dialled it (a newer link to the same peer keeps its record).</summary>
    public void Linked(PublicKey peer, bool dialled)
    {
        if (_records.TryGetValue(peer, out var known))
        {
            known.Dialled = dialled;
            return;
        }
        _records[peer] = new Record { Dialled = dialled };
        _records.TrimExcess(); // as the router's peer table: no room for twice the links (never enumerated; _order is the order)
        _order.Add(peer);
    }

    public void Unlinked(PublicKey peer)
    {
        if (_records.Remove(peer)) _order.Remove(peer);
    }

    /// <summary>
    /// The peer delivered this node a topic first (a new, valid topic this node accepted from it): it passes topics on.
    /// Only this counts, not an ask: an ask for a request seen before costs a Sybil nothing to replay.
    /// </summary>
    public void FirstDelivery(PublicKey peer)
    {
        _accepted++;
        if (_records.TryGetValue(peer, out var record))
        {
            record.DeliveryScore = DeliveryScore(record) + 1;
            record.ScoredAt = _accepted;
            record.HasDelivered = true;
            record.HandedSinceDelivery = 0;
            record.Grafted = false;
        }
        if (settings.GraftEvery > 0 && _accepted % settings.GraftEvery == 0) GraftOpportunistically();
    }

    /// <summary>
    /// GossipSub v1.1's opportunistic grafting, in this node's event time: every graft-every topics accepted, if the median
    /// delivery score of the peers not in deficit (those asked before any in deficit) is below graft-threshold, up to
    /// graft-count peers in deficit are taken out of it and asked with the dialled peers not heard from: of those whose
    /// score is at least that median or that this node dialled, the highest score first, then dialled ones (GossipSub keeps
    /// D_out outbound peers in its mesh even when they score lower), then the longest linked (GossipSub's P1, time in mesh).
    /// After a flash of Sybils dialling in, the median is theirs (zero), and the honest neighbours that fell into deficit (a
    /// peer downstream of this node seldom delivers it a topic first) get asks again before the Sybils that joined later;
    /// a grafted peer that still delivers nothing is in deficit again after deficit-after more topics.
    /// </summary>
    private void GraftOpportunistically()
    {
        if (settings.DeficitAfter == 0 || settings.GraftCount == 0) return;
        var open = new List<double>(_records.Count);
        foreach (var record in _records.Values)
            if (!InDeficit(record)) open.Add(DeliveryScore(record));
        open.Sort();
        var median = open.Count == 0 ? 0 : open.Count % 2 == 1 ? open[open.Count / 2] : (open[open.Count / 2 - 1] + open[open.Count / 2]) / 2;
        if (open.Count > 0 && median >= settings.GraftThreshold) return;
        var candidates = new List<(Record Record, double Score)>();
        foreach (var peer in _order) // link order, not the dictionary's: the same graft under a seed
        {
            var record = _records[peer];
            var score = DeliveryScore(record);
            if (InDeficit(record) && (score >= median || record.Dialled)) candidates.Add((record, score));
        }
        // Stable: equal candidates keep link order, oldest link first (a link that ends and comes back goes to the end).
        foreach (var (record, _) in candidates.OrderByDescending(c => c.Score).ThenByDescending(c => c.Record.Dialled).Take(settings.GraftCount))
        {
            record.HandedSinceDelivery = 0;
            record.Grafted = true;
        }
    }

    /// <summary>First deliveries, each fading by graft-decay per topic this node accepted since (GossipSub's P2 with decay).</summary>
    private double DeliveryScore(Record record) =>
        record.DeliveryScore == 0 ? 0 : record.DeliveryScore * Math.Pow(settings.GraftDecay, _accepted - record.ScoredAt);

    /// <summary>The peer's score now: below zero it is not proven, whatever it delivered (GossipSub grafts no negative peer).</summary>
    public void Scored(PublicKey peer, double score)
    {
        if (_records.TryGetValue(peer, out var record)) record.Negative = score < 0;
    }

    /// <summary>This node handed the peer a topic (a broadcast). True: the peer is in deficit (handed deficit-after or more since its last first delivery).</summary>
    public bool Handed(PublicKey peer)
    {
        if (!_records.TryGetValue(peer, out var record)) return false;
        record.HandedSinceDelivery++;
        if (!InDeficit(record)) return false;
        record.Grafted = false;
        return true;
    }

    /// <summary>Whether <paramref name="peer"/> is asked last now (for tests and status).</summary>
    public bool IsInDeficit(PublicKey peer) => _records.TryGetValue(peer, out var record) && InDeficit(record);

    /// <summary>
    /// Up to <paramref name="count"/> linked peers not in <paramref name="exclude"/>: outbound quota first, then exploration,
    /// then by rank; then up to extra-asks more (at most <paramref name="maxExtra"/>), one per chosen peer not proven.
    /// </summary>
    public IReadOnlyList<PublicKey> Choose(IReadOnlyCollection<PublicKey> exclude, int count, int maxExtra = int.MaxValue)
    {
        var candidates = new List<PublicKey>(_order.Count);
        foreach (var peer in _order)
            if (!exclude.Contains(peer)) candidates.Add(peer);
        Shuffle(candidates); // random within a rank; the passes over ranks below keep this order
        var chosen = new List<PublicKey>(Math.Min(count, candidates.Count));
        if (count <= 0 || candidates.Count == 0) return chosen;

        // Passes over the ranks instead of LINQ sorts (this runs for every topic a node passes on); the order is the
        // same as the stable sorts': rank by rank, shuffled order within a rank.
        // A dialled peer in deficit does not fill the quota: it is one of the few Sybils this node dialled, or has turned.
        var quota = Math.Min(settings.OutboundQuota, count);
        for (var rank = 0; rank <= LastRank && chosen.Count < quota; rank++)
            foreach (var peer in candidates)
            {
                if (chosen.Count >= quota) break;
                var record = _records[peer];
                if (record.Dialled && !InDeficit(record) && SortRank(record) == rank) chosen.Add(peer);
            }
        var rest = new List<PublicKey>(candidates.Count);
        foreach (var peer in candidates)
            if (!chosen.Contains(peer)) rest.Add(peer);
        var explore = Math.Min(settings.Exploration, count - chosen.Count);
        // Already shuffled: the first peers not in deficit are a random pick among them.
        for (var i = 0; i < rest.Count && explore > 0;)
        {
            if (InDeficit(_records[rest[i]])) { i++; continue; }
            chosen.Add(rest[i]);
            rest.RemoveAt(i);
            explore--;
        }
        var ranked = new List<PublicKey>(rest.Count);
        for (var rank = 0; rank <= LastRank; rank++)
            foreach (var peer in rest)
                if (SortRank(_records[peer]) == rank) ranked.Add(peer);
        var next = 0;
        for (; next < ranked.Count && chosen.Count < count; next++) chosen.Add(ranked[next]);
        // An ask to a peer that has not proven it passes topics on may feed a dropper: it does not use up the fanout.
        var unproven = 0;
        foreach (var peer in chosen)
            if (!Proven(_records[peer])) unproven++;
        var extra = Math.Min(Math.Min(settings.ExtraAsks, maxExtra), unproven);
        for (; extra > 0 && next < ranked.Count; extra--, next++) chosen.Add(ranked[next]);
        return chosen;
    }

    /// <summary>
    /// Proven first (delivered first, not in deficit), then peers not heard from (those this node dialled first), peers in deficit
    /// last; random within a rank. Without deficits (deficit-after 0) there are no ranks: all are one.
    /// </summary>
    private int SortRank(Record record) => settings.DeficitAfter == 0 ? 0 : Rank(record);

    private const int LastRank = 3;

    private int Rank(Record record) => InDeficit(record) ? 3 : Proven(record) ? 0 : record.Dialled || record.Grafted ? 1 : 2;

    /// <summary>Delivered a topic first and not handed deficit-after since.</summary>
    private bool Proven(Record record) => record.HasDelivered && !record.Negative && !InDeficit(record);

    private bool InDeficit(Record record) => settings.DeficitAfter > 0 && record.HandedSinceDelivery >= settings.DeficitAfter;

    private void Shuffle(List<PublicKey> peers)
    {
        for (var i = peers.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (peers[i], peers[j]) = (peers[j], peers[i]);
        }
    }

    private sealed class Record
    {
        public bool Dialled { get; set; }

        public bool HasDelivered { get; set; }

        public int HandedSinceDelivery { get; set; }

        public bool Negative { get; set; }

        /// <summary>Taken out of deficit by opportunistic grafting: asked with the dialled peers not heard from.</summary>
        public bool Grafted { get; set; }

        public double DeliveryScore { get; set; }

        public long ScoredAt { get; set; }
    }
}
