using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Simulation.Output;

namespace SweetGossip.Simulation.Runner;

/// <summary>
/// Feeds peer-events.csv while the run goes. Churn events are known when scheduled and kept (one per scheduled
/// churn message) until the run passes their time. Bans are read from each node's score book about every
/// <c>interval</c>, for the peers it links to, at instants every partition has reached (the engine's callback
/// between steps or windows), with <see cref="PeerScoreBook.IsBanned"/>, which changes nothing: reading scores
/// would apply their decay early and change the run, so scores are not read (docs/simulation.md). Score and difficulty
/// changes are reported by the nodes as they happen (<see cref="Scored"/>, <see cref="DifficultyChanged"/>, through the
/// run's observer, in the same order for any number of threads) and written with the rest at the next look.
/// </summary>
internal sealed class PeerEventRecorder(PeerEventsCsv csv, int[][] linked, DateTimeOffset start, TimeSpan interval)
{
    // A node's key and book from when it starts: a peer not started yet has no key, and no node can have banned it.
    private readonly PublicKey?[] _keys = new PublicKey?[linked.Length];
    private readonly PeerScoreBook?[] _books = new PeerScoreBook?[linked.Length];
    private readonly List<(double Time, int Node, int? Peer, PeerEventKind Kind)> _churn = [];
    private readonly HashSet<(int Node, int Peer)> _banned = [];
    // Reported since the last look; written, merged in time order with churn and bans, at the next.
    private readonly List<Row> _reported = [];
    private readonly List<Row> _rows = [];
    private int _nextChurn;
    private bool _sorted;
    private readonly TimeSpan _interval = interval;
    private TimeSpan _nextLook = interval;

    /// <summary>The links of every identity (both directions of every dial), ascending.</summary>
    public static int[][] Links(IReadOnlyList<IdentityPlan> identities)
    {
        var links = identities.Select(_ => new List<int>()).ToArray();
        foreach (var plan in identities)
            foreach (var peer in plan.Dials)
            {
                links[plan.Id].Add(peer);
                links[peer].Add(plan.Id);
            }
        return links.Select(l => l.Distinct().Order().ToArray()).ToArray();
    }

    /// <summary>Node <paramref name="node"/> started with this identity and book.</summary>
    public void Started(int node, PublicKey key, PeerScoreBook book)
    {
        _keys[node] = key;
        _books[node] = book;
    }

    /// <summary>A churn message was scheduled (before the run starts).</summary>
    public void Churn(double timeSeconds, int node, int? peer, PeerEventKind kind)
    {
        if (_sorted) throw new InvalidOperationException("churn is scheduled before the run starts");
        _churn.Add((timeSeconds, node, peer, kind));
    }

    /// <summary>Node <paramref name="node"/>'s score book judged <paramref name="peer"/>, whose score is now <paramref name="score"/>.</summary>
    public void Scored(double timeSeconds, int node, int peer, PeerBehaviour behaviour, double score) =>
        _reported.Add(new Row(timeSeconds, node, peer, PeerEventKind.ScoreChanged, behaviour.ToString(), score));

    /// <summary>Node <paramref name="node"/> now asks <paramref name="bits"/> of <paramref name="peer"/>, after a favour was thanked or not.</summary>
    public void DifficultyChanged(double timeSeconds, int node, int peer, int bits, bool thanked) =>
        _reported.Add(new Row(timeSeconds, node, peer, PeerEventKind.DifficultyChanged, thanked ? "Thanked" : "Unthanked", bits));

    /// <summary>The run reached <paramref name="elapsed"/>: no node acts before it any more.</summary>
    public void At(TimeSpan elapsed)
    {
        if (elapsed < _nextLook) return;
        _nextLook = elapsed + _interval;
        Look(elapsed);
    }

    public void Done(TimeSpan elapsed) => Look(elapsed);

    private void Look(TimeSpan elapsed)
    {
        if (!_sorted) _churn.Sort((a, b) => (a.Time, a.Node, a.Peer ?? -1, a.Kind).CompareTo((b.Time, b.Node, b.Peer ?? -1, b.Kind)));
        _sorted = true;
        var seconds = elapsed.TotalSeconds;
        for (; _nextChurn < _churn.Count && _churn[_nextChurn].Time <= seconds; _nextChurn++)
        {
            var e = _churn[_nextChurn];
            _rows.Add(new Row(e.Time, e.Node, e.Peer, e.Kind, null, null));
        }
        _rows.AddRange(_reported);
        _reported.Clear();
        var now = start + elapsed;
        for (var node = 0; node < _books.Length; node++)
        {
            if (_books[node] is not { } book) continue;
            foreach (var peer in linked[node])
            {
                if (_keys[peer] is not { } key) continue;
                var banned = book.IsBanned(key, now);
                if (banned == _banned.Contains((node, peer))) continue;
                if (banned) _banned.Add((node, peer));
                else _banned.Remove((node, peer));
                _rows.Add(new Row(seconds, node, peer, banned ? PeerEventKind.Banned : PeerEventKind.BanEnded, null, null));
            }
        }
        // Stable: rows of one time, node and peer stay as they happened.
        foreach (var row in _rows.OrderBy(r => r.Time).ThenBy(r => r.Node).ThenBy(r => r.Peer ?? -1))
            csv.Row(row.Time, row.Node, row.Peer, row.Kind, row.Cause, row.Value);
        _rows.Clear();
    }

    private readonly record struct Row(double Time, int Node, int? Peer, PeerEventKind Kind, string? Cause, double? Value);
}
