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

    /// <summary>Base PoW difficulty middlemen ask for, in leading zero bits (protocol.md D7).</summary>
    public int DifficultyBits { get; init; } = 8;

    /// <summary>The <c>hops_remaining</c> a topic starts with (at most 32, protocol.md D8).</summary>
    public int Hops { get; init; } = 10;

    public TopologySpec Topology { get; init; } = TopologySpec.RandomRegular(8);
    public TaxiScenario Taxi { get; init; } = new();
    public ValueList<Attack> Attacks { get; init; } = ValueList<Attack>.Empty;
    public Churn Churn { get; init; } = new();
    public LatencyModel Latency { get; init; } = LatencyModel.LogNormal(40, 0.6);
    public MetricsSettings Metrics { get; init; } = new();

    /// <summary>The node's defences honest peers run with (all on by default).</summary>
    public Mitigations Mitigations { get; init; } = Mitigations.AllOn;

    [JsonIgnore]
    public int PeerCount => Taxi.Peers;
}
