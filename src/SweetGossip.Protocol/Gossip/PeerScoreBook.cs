using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Gossip;

/// <summary>The book's answer to a peer whose link just came up: its standing, held for the link's life, or why it is refused.</summary>
public sealed record PeerAdmission(PeerStanding? Standing, string? Refusal);

/// <summary>
/// A peer's score after a judgement (its prefix's share included). <see cref="Refused"/>: it is banned, its link must go.
/// <see cref="PrefixBanned"/>: this judgement banned the peer's address prefix (said once, for the log).
/// </summary>
public readonly record struct PeerJudgement(double Score, bool Refused, string? PrefixBanned = null);

/// <summary>
/// Every peer's score, node-wide, kept after its links end: by identity and by address prefix (<see cref="AddressPrefix"/>).
/// A peer's score is its own plus the penalties its prefix took from its other identities (each penalty counts
/// <see cref="PeerScoreParameters.PrefixWeight"/> of itself against the prefix), so a fresh key from a network that
/// misbehaved starts penalised, while one bad neighbour behind a shared address costs an honest one only that share.
/// A penalty that takes a peer below <see cref="PeerScoreParameters.DisconnectThreshold"/> bans its identity for
/// <see cref="PeerScoreParameters.BanPeriod"/>; a prefix whose penalty falls below
/// <see cref="PeerScoreParameters.PrefixBanThreshold"/> is banned as a whole. Bounded: past a capacity it forgets what
/// has decayed to nothing first, then the smallest credit, then the mildest penalty, then the ban ending soonest, never
/// a peer with a live link; a peer that leaves at zero is forgotten at once. Thread-safe: one per node, shared by its
/// connections (which record through their <see cref="PeerStanding"/>) and its guardian (which records by key).
/// </summary>
public sealed class PeerScoreBook
{
    private readonly object _gate = new();
    private readonly Dictionary<PublicKey, Entry> _identities = [];
    private readonly Dictionary<AddressPrefix, Entry> _prefixes = [];

    private readonly Action<PublicKey, PeerBehaviour, PeerJudgement, DateTimeOffset>? _recorded;

    /// <param name="recorded">
    /// Told of every judgement that moved a score (weight not zero), after the book's lock is released, on the recording
    /// thread: for measurement (the node's observer), never to decide anything.
    /// </param>
    /// <exception cref="ArgumentException">The parameters break a rule of <see cref="PeerScoreParameters.Validate"/>.</exception>
    public PeerScoreBook(PeerScoreParameters parameters, Action<PublicKey, PeerBehaviour, PeerJudgement, DateTimeOffset>? recorded = null)
    {
        if (parameters.Validate() is { } problem) throw new ArgumentException($"scoring parameters: {problem}", nameof(parameters));
        Parameters = parameters;
        _recorded = recorded;
    }

    public PeerScoreParameters Parameters { get; }

    /// <summary>Identities remembered (for status): at most the capacity, plus peers with a live link beyond it.</summary>
    public int Count
    {
        get { lock (_gate) return _identities.Count; }
    }

    /// <summary>Address prefixes remembered: at most the prefix capacity.</summary>
    public int PrefixCount
    {
        get { lock (_gate) return _prefixes.Count; }
    }

    /// <summary>
    /// A link to <paramref name="peer"/> from <paramref name="prefix"/> (null: no address, in-memory links) came up:
    /// refused while the identity or the prefix is banned, or while its score is below the threshold; else its standing.
    /// </summary>
    public PeerAdmission Admit(PublicKey peer, AddressPrefix? prefix, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (prefix is { } network && PrefixBan(network, now) is { } prefixBan) return new PeerAdmission(null, prefixBan);
            _identities.TryGetValue(peer, out var entry);
            if (entry is not null && entry.IsBanned(now))
                return new PeerAdmission(null, $"banned until {entry.BannedUntil:u} after {entry.BannedFor} (score {Effective(entry, prefix, now):0.#})");
            var score = Effective(entry, prefix, now);
            if (score < Parameters.DisconnectThreshold)
                return new PeerAdmission(null, $"score {score:0.#} is below the threshold {Parameters.DisconnectThreshold:0.#}"
                    + (prefix is { } from && _prefixes.TryGetValue(from, out var penalised) ? $" (its address prefix {from} carries {penalised.Score.Value:0.#})" : ""));
            entry ??= Add(_identities, peer, Parameters.Capacity, now);
            entry.Prefix = prefix;
            entry.Pins++;
            return new PeerAdmission(new PeerStanding(this, entry, peer, prefix), null);
        }
    }

    /// <summary>The node's guardian judged <paramref name="peer"/> (linked or not): recorded now, before its next frame is handled.</summary>
    public PeerJudgement Record(PublicKey peer, PeerBehaviour behaviour, DateTimeOffset now)
    {
        PeerJudgement judgement;
        lock (_gate)
        {
            if (!_identities.TryGetValue(peer, out var entry)) entry = Add(_identities, peer, Parameters.Capacity, now);
            judgement = RecordLocked(entry, behaviour, now);
        }
        Recorded(peer, behaviour, judgement, now);
        return judgement;
    }

    /// <summary>Whether <paramref name="peer"/> is banned: nothing it sends is acted on.</summary>
    public bool IsBanned(PublicKey peer, DateTimeOffset now)
    {
        lock (_gate) return _identities.TryGetValue(peer, out var entry) && entry.IsBanned(now);
    }

    /// <summary>Why a connection from <paramref name="prefix"/> is refused before its handshake (the prefix is banned), or null.</summary>
    public string? RefusalOf(AddressPrefix prefix, DateTimeOffset now)
    {
        lock (_gate) return PrefixBan(prefix, now);
    }

    /// <summary>The score <paramref name="peer"/> has now (from the prefix of its last link); 0 if the book does not know it.</summary>
    public double ScoreOf(PublicKey peer, DateTimeOffset now)
    {
        lock (_gate) return _identities.TryGetValue(peer, out var entry) ? Effective(entry, entry.Prefix, now) : 0;
    }

    /// <summary>The score <paramref name="peer"/> would start a link from <paramref name="prefix"/> with.</summary>
    public double ScoreOf(PublicKey peer, AddressPrefix prefix, DateTimeOffset now)
    {
        lock (_gate) return Effective(_identities.GetValueOrDefault(peer), prefix, now);
    }

    internal PeerJudgement Record(PublicKey peer, Entry entry, PeerBehaviour behaviour, DateTimeOffset now)
    {
        PeerJudgement judgement;
        lock (_gate) judgement = RecordLocked(entry, behaviour, now);
        Recorded(peer, behaviour, judgement, now);
        return judgement;
    }

    private void Recorded(PublicKey peer, PeerBehaviour behaviour, PeerJudgement judgement, DateTimeOffset now)
    {
        if (_recorded is not null && Parameters.Weight(behaviour) != 0) _recorded(peer, behaviour, judgement, now);
    }

    // Under the lock.
    private PeerJudgement RecordLocked(Entry entry, PeerBehaviour behaviour, DateTimeOffset now)
    {
        var weight = Parameters.Weight(behaviour);
        entry.Score.Add(weight, now);
        string? prefixBanned = null;
        if (weight < 0 && Parameters.PrefixWeight > 0 && entry.Prefix is { } prefix)
            prefixBanned = PenalisePrefix(prefix, weight * Parameters.PrefixWeight, behaviour, now);
        var score = Effective(entry, entry.Prefix, now);
        if (weight < 0 && score < Parameters.DisconnectThreshold) entry.Ban(now + Parameters.BanPeriod, behaviour);
        return new PeerJudgement(score, entry.IsBanned(now), prefixBanned);
    }

    internal double ScoreOf(Entry entry, DateTimeOffset now)
    {
        lock (_gate) return Effective(entry, entry.Prefix, now);
    }

    /// <summary>A link ended: its peer may be forgotten again, at once if nothing is left of its score.</summary>
    internal void Release(PublicKey peer, Entry entry, DateTimeOffset now)
    {
        lock (_gate)
        {
            entry.Pins--;
            if (entry.Pins == 0 && !entry.IsBanned(now) && entry.Score.IsNeutralAt(now)
                && _identities.TryGetValue(peer, out var kept) && ReferenceEquals(kept, entry))
                _identities.Remove(peer);
        }
    }

    // ------------------------------------------------------------------ under the lock

    /// <summary>
    /// The peer's own score, plus what its prefix took from its other identities. The prefix also holds this peer's
    /// own share (same weight, same decay), which is taken out so that a peer is not counted twice.
    /// </summary>
    private double Effective(Entry? entry, AddressPrefix? prefix, DateTimeOffset now)
    {
        var own = entry?.Score.ValueAt(now) ?? 0;
        if (prefix is not { } network || !_prefixes.TryGetValue(network, out var shared)) return own;
        var ownShare = entry is not null && entry.Prefix == network ? Parameters.PrefixWeight * entry.Score.Negative : 0;
        return own + Math.Min(0, shared.Score.ValueAt(now) - ownShare);
    }

    private string? PrefixBan(AddressPrefix prefix, DateTimeOffset now) =>
        _prefixes.TryGetValue(prefix, out var entry) && entry.IsBanned(now)
            ? $"address prefix {prefix} banned until {entry.BannedUntil:u} after {entry.BannedFor} (penalty {entry.Score.ValueAt(now):0.#})"
            : null;

    /// <summary>Adds a share of a peer's penalty to its prefix; bans the prefix below its threshold (and says so, once).</summary>
    private string? PenalisePrefix(AddressPrefix prefix, double penalty, PeerBehaviour behaviour, DateTimeOffset now)
    {
        if (!_prefixes.TryGetValue(prefix, out var entry)) entry = Add(_prefixes, prefix, Parameters.PrefixCapacity, now);
        var value = entry.Score.Add(penalty, now);
        if (value >= Parameters.PrefixBanThreshold) return null;
        var wasBanned = entry.IsBanned(now);
        entry.Ban(now + Parameters.BanPeriod, behaviour);
        return wasBanned ? null : $"address prefix {prefix} banned until {entry.BannedUntil:u} (penalty {value:0.#} below {Parameters.PrefixBanThreshold:0.#})";
    }

    private Entry Add<TKey>(Dictionary<TKey, Entry> map, TKey key, int capacity, DateTimeOffset now) where TKey : notnull
    {
        if (map.Count >= capacity) Forget(map, capacity, now);
        var entry = new Entry(new PeerScore(Parameters, now));
        map.RoomForOneMore(); // the key is new: grown by a quarter, not doubled (8 per simulated peer)
        map[key] = entry;
        return entry;
    }

    /// <summary>
    /// Makes room: forgets every entry at zero, then (only while above nine tenths of the capacity) the smallest credit,
    /// the mildest penalty, and last the ban ending soonest; never an entry with a live link. Many fresh keys therefore
    /// never push out a penalty, and a full book pays for one sort per tenth of its capacity.
    /// </summary>
    private static void Forget<TKey>(Dictionary<TKey, Entry> map, int capacity, DateTimeOffset now) where TKey : notnull
    {
        var target = capacity - Math.Max(1, capacity / 10);
        var candidates = new List<(TKey Key, int Rank, double Order)>(map.Count);
        foreach (var (key, entry) in map)
        {
            if (entry.Pins > 0) continue;
            var value = entry.Score.ValueAt(now);
            if (entry.IsBanned(now)) candidates.Add((key, 3, entry.BannedUntil.UtcTicks));
            else if (entry.Score.IsNeutralAt(now)) candidates.Add((key, 0, 0));
            else if (value >= 0) candidates.Add((key, 1, value));
            else candidates.Add((key, 2, -value));
        }
        candidates.Sort((a, b) => a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank) : a.Order.CompareTo(b.Order));
        foreach (var candidate in candidates)
        {
            if (candidate.Rank > 0 && map.Count <= target) break;
            map.Remove(candidate.Key);
        }
    }

    /// <summary>One identity's or one prefix's score and ban.</summary>
    internal sealed class Entry(PeerScore score)
    {
        private long _bannedUntilTicks;

        public PeerScore Score { get; } = score;

        /// <summary>Where the identity's last link came from (its penalties count there); unused for prefixes.</summary>
        public AddressPrefix? Prefix { get; set; }

        /// <summary>Live links holding this entry: it is not forgotten meanwhile.</summary>
        public int Pins { get; set; }

        public PeerBehaviour BannedFor { get; private set; }

        public DateTimeOffset BannedUntil => new(Volatile.Read(ref _bannedUntilTicks), TimeSpan.Zero);

        // Read without the book's lock (a connection, before each frame): one atomic read.
        public bool IsBanned(DateTimeOffset now) => Volatile.Read(ref _bannedUntilTicks) > now.UtcTicks;

        public void Ban(DateTimeOffset until, PeerBehaviour behaviour)
        {
            BannedFor = behaviour;
            if (until.UtcTicks > _bannedUntilTicks) Volatile.Write(ref _bannedUntilTicks, until.UtcTicks);
        }
    }
}
