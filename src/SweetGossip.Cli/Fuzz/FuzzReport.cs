namespace SweetGossip.Cli.Fuzz;

/// <summary>
/// What `sgossip fuzz` found, as printed with --json (snake_case names). The first five fields are the ones the
/// issue asks for; the rest say where the frames went and what the node made of them.
/// </summary>
public sealed record FuzzReport
{
    public required long FramesSent { get; init; }

    /// <summary>The target runs at the end and completes a fresh handshake (a spawned one has not exited).</summary>
    public required bool NodeAlive { get; init; }

    /// <summary>Share of the honest topics originated while fuzzing whose broadcast reached the honest sink.</summary>
    public required double HonestDelivery { get; init; }

    public double? RssStartMb { get; init; }

    public double? RssEndMb { get; init; }

    public double? RssMaxMb { get; init; }

    /// <summary>The target's memory after each tenth of the frames: a leak climbs with them, a heap settles.</summary>
    public required IReadOnlyList<double> RssProgressMb { get; init; }

    public required int HonestTopics { get; init; }

    public required int HonestDelivered { get; init; }

    public double? HonestLatencyMsP50 { get; init; }

    public double? HonestLatencyMsP99 { get; init; }

    public double? HonestLatencyMsMax { get; init; }

    /// <summary>Why the target dropped an honest peer, each time it did: none is expected.</summary>
    public required IReadOnlyList<string> HonestDisconnects { get; init; }

    /// <summary>The hardest proof of work the target asked of the honest originator (it rises with unpaid replies charged to it).</summary>
    public required int HonestPowBitsMax { get; init; }

    /// <summary>Replies that reached the honest originator: the fuzzer's unsolicited ones, passed upstream by the target.</summary>
    public required int HonestRepliesReceived { get; init; }

    public required long BytesSent { get; init; }

    public required int Shots { get; init; }

    public required double Seconds { get; init; }

    public required double FramesPerSecond { get; init; }

    public required int Links { get; init; }

    public required int Disconnects { get; init; }

    public required int ConnectRefused { get; init; }

    public required int PoisonedDropped { get; init; }

    public required int PoisonedKept { get; init; }

    public required IReadOnlyList<string> PoisonedKeptShots { get; init; }

    public required int DroppedAfterOffences { get; init; }

    public required int KeptAfterOffences { get; init; }

    public required IReadOnlyList<string> KeptAfterOffencesShots { get; init; }

    public required int Stalled { get; init; }

    public required int StallsDroppedByNode { get; init; }

    public required int WriteRetries { get; init; }

    public required IReadOnlyDictionary<string, int> Handshakes { get; init; }

    /// <summary>Frames written per mutation.</summary>
    public required IReadOnlyDictionary<string, int> Mutations { get; init; }

    public required IReadOnlyDictionary<string, int> ShotsByMutation { get; init; }

    public required IReadOnlyDictionary<string, int> Variants { get; init; }

    public int? NodeExitCode { get; init; }

    public NodeLog? NodeLog { get; init; }

    public required string Target { get; init; }

    public required bool SourcesRotated { get; init; }

    public required int Seed { get; init; }

    public required long Epoch { get; init; }

    /// <summary>SHA-256 of every shot planned: equal for equal --seed and --epoch.</summary>
    public required string PlanDigest { get; init; }

    /// <summary>Why fuzzing stopped before all frames were written, or null.</summary>
    public string? StoppedEarly { get; init; }
}
