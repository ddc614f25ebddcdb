namespace SweetGossip.Cli.Fuzz;

/// <summary>What `sgossip fuzz` was asked to do; checked by the command before a run starts.</summary>
public sealed record FuzzSettings
{
    /// <summary>Records the fuzz links write in all (each carries one frame, damaged or not).</summary>
    public required int Frames { get; init; }

    public required int Seed { get; init; }

    /// <summary>`[identity@]host:port` of a running node; null with <see cref="Spawn"/>.</summary>
    public string? Target { get; init; }

    public bool Spawn => Target is null;

    /// <summary>The authority file whose certificates the target trusts (required with a target; spawned targets trust the run's own).</summary>
    public string? AuthorityFile { get; init; }

    /// <summary>The target's process id, to read its memory (a spawned target's is known).</summary>
    public int? Pid { get; init; }

    /// <summary>Honest topics originated while fuzzing, evenly spread over the frames.</summary>
    public required int HonestTopics { get; init; }

    /// <summary>How long to wait after the last frame for honest topics still on their way.</summary>
    public required TimeSpan Settle { get; init; }

    /// <summary>How long a connection, handshake or expected drop may take before it counts as not happening.</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where a spawned node's files go; null: a temporary folder, deleted afterwards.</summary>
    public string? Directory { get; init; }

    /// <summary>The second the run's requests and certificates are dated from: with the seed, it fixes every frame.</summary>
    public required DateTimeOffset Epoch { get; init; }
}
