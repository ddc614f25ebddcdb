using System.Text.Json.Serialization;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// Everything a simulation run needs, so that the same config (seed included) gives the same numbers.
/// Every member has a default; a JSON file names only what it changes (<see cref="SimulationConfigJson"/>).
/// Times are simulation seconds from 0.
/// </summary>
public sealed record SimulationConfig
{
    public long Seed { get; init; } = 1;
    public double DurationSeconds { get; init; } = 600;

    /// <summary>Peers each relaying node asks (protocol.md D18).</summary>
    public int Fanout { get; init; } = 3;

    /// <summary>How nodes pass a topic on: <c>Fanout</c> (asks to <see cref="Fanout"/> peers) or <c>Announce</c> (protocol.md D24).</summary>
    public SweetGossip.Node.Core.Dissemination Dissemination { get; init; } = SweetGossip.Node.Core.Dissemination.Fanout;

    /// <summary>
    /// The nodes' <c>origin-cover-keep</c> (protocol.md D23); null: the node default. Announce dissemination ranks
    /// announcers by hops_remaining, which the cover blurs (docs/simulation.md), so runs compare with it off.
    /// </summary>
    public double? OriginCoverKeep { get; init; }

    /// <summary>The nodes' <c>announce.gather-window</c> in milliseconds (protocol.md D24); null: the node default.</summary>
    public double? AnnounceGatherWindowMs { get; init; }

    /// <summary>Base PoW difficulty middlemen ask for, in leading zero bits (protocol.md D7).</summary>
    public int DifficultyBits { get; init; } = 8;

    /// <summary>The <c>hops_remaining</c> a topic starts with (at most 32, protocol.md D8).</summary>
    public int Hops { get; init; } = 10;

    public TopologySpec Topology { get; init; } = TopologySpec.RandomRegular(8);

    /// <summary>The application simulated; a taxi config leaves it out of its JSON (files from before it existed read the same).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ScenarioKind Scenario { get; init; } = ScenarioKind.Taxi;

    /// <summary>The taxi city (used when <see cref="Scenario"/> is Taxi).</summary>
    public TaxiScenario Taxi { get; init; } = new();

    /// <summary>The jobs scenario (used when <see cref="Scenario"/> is Jobs); null: its defaults.</summary>
    public JobsScenario? Jobs { get; init; }
    public ValueList<Attack> Attacks { get; init; } = ValueList<Attack>.Empty;
    public Churn Churn { get; init; } = new();
    public LatencyModel Latency { get; init; } = LatencyModel.LogNormal(40, 0.6);
    public MetricsSettings Metrics { get; init; } = new();

    /// <summary>The node's defences honest peers run with (all on by default).</summary>
    public Mitigations Mitigations { get; init; } = Mitigations.AllOn;

    [JsonIgnore]
    public JobsScenario JobsSettings => Jobs ?? DefaultJobs;

    [JsonIgnore]
    public int PeerCount => Scenario == ScenarioKind.Jobs ? JobsSettings.Peers : Taxi.Peers;

    private static readonly JobsScenario DefaultJobs = new();
}
