using SweetGossip.Node.Policies;
using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Runner;

/// <summary>A topic the scenario originates: number <see cref="Topic"/> (as the metrics count) by <see cref="Origin"/> at <see cref="TimeSeconds"/>.</summary>
internal sealed record PlannedTopic(int Topic, double TimeSeconds, int Origin);

/// <summary>
/// What the runners need from an application scenario (<see cref="ScenarioKind"/>): who the peers are, where
/// they sit (for geographic topologies), which topics are originated when, who replies to what, and prices.
/// Everything else (graph, attacks, churn, latency, metrics) is the same for every scenario.
/// </summary>
internal abstract class ScenarioModel(DateTimeOffset start)
{
    /// <summary>The wall-clock instant of simulation time 0.</summary>
    public DateTimeOffset Start { get; } = start;

    public abstract IReadOnlyList<GeoPoint> Positions { get; }

    public abstract LocalProjection Projection { get; }

    public abstract IReadOnlyList<PlannedTopic> Topics { get; }

    /// <summary>How long an originated topic's state lives.</summary>
    public abstract TimeSpan Lifetime { get; }

    public abstract Prices Prices { get; }

    /// <summary>The certificate authority of the simulated app.</summary>
    public abstract string AuthorityName { get; }

    /// <summary>What a peer of the scenario is (ids past the scenario's peers are Sybil identities).</summary>
    public abstract PeerKind KindOf(int node);

    /// <summary>The role its certificate names.</summary>
    public abstract string CertificateRole(int node);

    /// <summary>The topic itself, as the origin broadcasts it.</summary>
    public abstract Topic TopicOf(PlannedTopic planned);

    /// <summary>Whether and at what price a peer of the scenario replies (Sybil identities never do).</summary>
    public abstract IReplyPolicy PolicyFor(int node);

    public static ScenarioModel For(SimulationConfig config) => config.Scenario switch
    {
        ScenarioKind.Taxi => new TaxiModel(config),
        ScenarioKind.Jobs => new JobsModel(config, SimulationRunner.Epoch),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.Scenario, "unknown scenario"),
    };
}
