namespace SweetGossip.Cli.Fuzz;

/// <summary>What the fuzz links did and what became of them, counted as the run goes (by the runner's one loop).</summary>
public sealed class FuzzTally
{
    private readonly SortedDictionary<string, int> _framesByMutation = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _shotsByMutation = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _shotsByVariant = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _handshakes = new(StringComparer.Ordinal);
    private readonly List<string> _keptShots = [];
    private readonly List<string> _keptOffences = [];

    public long FramesSent { get; private set; }

    public long BytesSent { get; private set; }

    public int Shots { get; private set; }

    /// <summary>Connections made (each a fresh identity).</summary>
    public int Links { get; set; }

    /// <summary>Live links the node closed or reset (after its score of them fell, or on bad records).</summary>
    public int Disconnects { get; set; }

    /// <summary>Connections or handshakes the node refused or let time out.</summary>
    public int ConnectRefused { get; set; }

    /// <summary>Records that cannot authenticate, after which the node dropped the link, as it must.</summary>
    public int PoisonedDropped { get; set; }

    /// <summary>Records that cannot authenticate, after which the node kept the link: a bug if ever above 0.</summary>
    public int PoisonedKept { get; private set; }

    /// <summary>The first few shots after which the node kept a poisoned link, as mutation/variant.</summary>
    public IReadOnlyList<string> PoisonedKeptShots => _keptShots;

    /// <summary>Links the node dropped after two frames any node must refuse (the fuzzer waits for that drop).</summary>
    public int DroppedAfterOffences { get; set; }

    /// <summary>Links the node kept for the fuzzer's patience after two frames any node must refuse.</summary>
    public int KeptAfterOffences { get; private set; }

    /// <summary>The offending shots of the first few links kept after two offences, as mutation/variant.</summary>
    public IReadOnlyList<string> KeptAfterOffencesShots => _keptOffences;

    /// <summary>Links left with an incomplete record.</summary>
    public int Stalled { get; set; }

    /// <summary>Stalled links the node had dropped by the time the fuzzer let go of them.</summary>
    public int StallsDroppedByNode { get; set; }

    /// <summary>Shots written again on a new link because the old one was gone before the write.</summary>
    public int WriteRetries { get; set; }

    public IReadOnlyDictionary<string, int> FramesByMutation => _framesByMutation;

    public IReadOnlyDictionary<string, int> ShotsByMutation => _shotsByMutation;

    public IReadOnlyDictionary<string, int> ShotsByVariant => _shotsByVariant;

    /// <summary>How damaged handshakes ended: refused, hung, cut, not_connected.</summary>
    public IReadOnlyDictionary<string, int> Handshakes => _handshakes;

    public void Sent(FuzzShot shot, int bytes)
    {
        var name = FuzzMix.NameOf(shot.Mutation);
        Shots++;
        FramesSent += shot.FrameCount;
        BytesSent += bytes;
        Add(_framesByMutation, name, shot.FrameCount);
        Add(_shotsByMutation, name, 1);
        Add(_shotsByVariant, $"{name}/{shot.Variant}", 1);
    }

    public void KeptPoisoned(FuzzShot shot)
    {
        PoisonedKept++;
        if (_keptShots.Count < 10) _keptShots.Add($"{FuzzMix.NameOf(shot.Mutation)}/{shot.Variant}");
    }

    public void KeptAfter(IEnumerable<FuzzShot> offending)
    {
        KeptAfterOffences++;
        if (_keptOffences.Count < 10) _keptOffences.Add(string.Join(" + ", offending.Select(s => $"{FuzzMix.NameOf(s.Mutation)}/{s.Variant}")));
    }

    public void Handshake(FuzzShot shot, string outcome)
    {
        var name = FuzzMix.NameOf(shot.Mutation);
        Shots++;
        Add(_shotsByMutation, name, 1);
        Add(_shotsByVariant, $"{name}/{shot.Variant}", 1);
        Add(_handshakes, outcome, 1);
    }

    private static void Add(SortedDictionary<string, int> counts, string key, int by) =>
        counts[key] = counts.GetValueOrDefault(key) + by;
}
