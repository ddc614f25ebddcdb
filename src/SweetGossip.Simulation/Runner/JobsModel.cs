using SweetGossip.Node.Policies;
using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Runner;

/// <summary>Generic jobs: clients post jobs of a uniform category, any worker serving it replies while the job is open.</summary>
internal sealed class JobsModel : ScenarioModel
{
    private readonly SimulationConfig _config;
    private readonly JobsPopulation _population;
    private readonly IReadOnlyList<ScheduledJob> _jobs;

    public JobsModel(SimulationConfig config, DateTimeOffset start)
        : base(start)
    {
        _config = config;
        _population = JobsPopulation.Generate(config);
        _jobs = JobSchedule.Generate(config, _population);
        Topics = _jobs.Select(j => new PlannedTopic(j.Topic, j.TimeSeconds, j.Origin)).ToArray();
    }

    public override IReadOnlyList<GeoPoint> Positions => _population.Positions;

    public override LocalProjection Projection => _population.Projection;

    public override IReadOnlyList<PlannedTopic> Topics { get; }

    public override TimeSpan Lifetime => TimeSpan.FromMinutes(Math.Clamp(_config.JobsSettings.JobWindowMinutes, 1, 60));

    public override Prices Prices => _config.JobsSettings.Prices;

    public override string AuthorityName => "Simulated Job Board";

    public override PeerKind KindOf(int node) => node < _config.PeerCount ? _population.Kinds[node] : PeerKind.Client;

    public override string CertificateRole(int node) => KindOf(node) == PeerKind.Worker ? "worker" : "client";

    public override Topic TopicOf(PlannedTopic planned)
    {
        var job = _jobs[planned.Topic];
        return new TaxiTopic(JobCategory.Code(job.Category), null, Start + TimeSpan.FromSeconds(Math.Floor(job.TimeSeconds)),
            Start + TimeSpan.FromSeconds(Math.Ceiling(job.TimeSeconds + _config.JobsSettings.JobWindowMinutes * 60)));
    }

    public override IReplyPolicy PolicyFor(int node) =>
        node < _config.PeerCount && _population.CategoriesOf[node] is { } categories
            ? new JobWorkerPolicy(categories.Select(JobCategory.Code).ToHashSet(StringComparer.Ordinal), (ulong)_config.JobsSettings.Prices.DriverPriceMsat, "worker " + node)
            : NeverReply.Instance;
}
