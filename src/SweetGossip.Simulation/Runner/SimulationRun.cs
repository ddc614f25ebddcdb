using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Output;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Runner;

/// <summary>How to run (not what to simulate: that is the <see cref="SimulationConfig"/>).</summary>
public sealed record SimulationRunOptions
{
    /// <summary>Akka log level printed to standard out (OFF, ERROR, WARNING, INFO, DEBUG).</summary>
    public string LogLevel { get; init; } = "OFF";

    /// <summary>Simulated time after the last topic may be originated, for replies and payments to finish.</summary>
    public TimeSpan Tail { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Every peer's opening Lightning balance (middlemen pay downstream before they are paid).</summary>
    public ulong OpeningBalanceMsat { get; init; } = 1_000_000_000;

    /// <summary>
    /// Run partitioned on this many threads (conservative parallel simulation, see docs/simulation.md); results
    /// are the same for every count, but not those of the single-threaded run (null), whose model differs.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>Lookahead of a partitioned run: the floor of every link latency and the width of its windows.</summary>
    public TimeSpan Lookahead { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Receives progress now and then (from the running thread).</summary>
    public IProgress<SimulationProgress>? Progress { get; init; }

    /// <summary>Where to stream per-peer events (<see cref="PeerEventsCsv"/>) during the run; none when null.</summary>
    public string? PeerEventsPath { get; init; }

    /// <summary>How often the nodes' score books are read for bans (a ban shows at the first look after it began).</summary>
    public TimeSpan PeerEventInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where to stream the per-frame trace (<see cref="FrameTrace"/>, JSON Lines) during the run; none when null.</summary>
    public string? TracePath { get; init; }

    /// <summary>Most lines the trace holds; past it, lines are counted, not written (a trace of a big run is big).</summary>
    public long TraceMaxLines { get; init; } = 10_000_000;
}

/// <summary>What a run is doing: starting its nodes, then running the scenario.</summary>
public enum SimulationPhase { StartingNodes, Running }

/// <summary>
/// Where a run is: nodes started of all (<see cref="SimulationPhase.StartingNodes"/>) or simulated
/// seconds done of the total (<see cref="SimulationPhase.Running"/>); actor work items run so far.
/// </summary>
public sealed record SimulationProgress(SimulationPhase Phase, double Done, double Total, long WorkItems)
{
    public double Fraction => Total > 0 ? Math.Clamp(Done / Total, 0, 1) : 1;
}

/// <summary>Money in the embedded Lightning network: what was deposited, and where it is at the end.</summary>
public sealed record MoneyCheck(ulong DepositedMsat, ulong AvailableMsat, ulong LockedMsat)
{
    /// <summary>No msat created or lost: every deposit is spendable or locked in an HTLC still in flight.</summary>
    public bool Conserved => AvailableMsat + LockedMsat == DepositedMsat;

    /// <summary>
    /// Peers whose net earnings (every role, favours included) differ from the change of their Lightning balance:
    /// 0 when the report accounts for every msat each peer moved.
    /// </summary>
    public int PeersOffBalance { get; init; }

    /// <summary>The first such peer, its earnings and balance change; null when there is none.</summary>
    public string? FirstPeerOffBalance { get; init; }
}

/// <summary>What a run cost: identities, links, work and memory. Not part of the results (wall time varies).</summary>
public sealed record RunStatistics(
    int Identities,
    int Links,
    double SimulatedSeconds,
    TimeSpan WallTime,
    long WorkItems,
    long ForeignWorkItems,
    long PeakWorkingSetBytes,
    int OpenHtlcsAtEnd,
    int ChurnEvents,
    TimeSpan StartupTime,
    TimeSpan RunningTime,
    TimeSpan ShutdownTime,
    PartitionStatistics? Partitions = null,
    RecordingStatistics? Recording = null,
    RunCost? Cost = null)
{
    /// <summary>
    /// The managed heap still reachable when the simulated time ran out (after a full collection, every node still
    /// in memory): what the network holds, without the garbage the peak working set also counts. Single-threaded runs only.
    /// </summary>
    public long? LiveHeapAtEndBytes { get; init; }
}

/// <summary>What the streamed files got: trace lines written and left out past the limit, peer-event rows.</summary>
public sealed record RecordingStatistics(long TraceLines, long TraceLinesDropped, long PeerEvents);

/// <summary>
/// How a partitioned run spent its wall time: windows run, the merge between them (one thread), and each
/// partition's busy time (the rest it waited for the slowest partition or the merge).
/// </summary>
public sealed record PartitionStatistics(int Threads, long Windows, TimeSpan MergeTime, IReadOnlyList<TimeSpan> BusyTime);

/// <summary>A finished run: the numbers (deterministic for a config) and what the run cost.</summary>
public sealed record SimulationRun(SimulationConfig Config, SimulationResults Results, SimulationSummary Summary, MoneyCheck Money, RunStatistics Statistics);
