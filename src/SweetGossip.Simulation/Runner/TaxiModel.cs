using SweetGossip.Node.Policies;
using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Runner;

/// <summary>The taxi city: riders ask for rides picked up in the city, drivers on shift whose area covers the pickup reply.</summary>
internal sealed class TaxiModel : ScenarioModel
{
    private readonly SimulationConfig _config;
    private readonly TaxiPopulation _population;
    private readonly DriverMobility _mobility;
    private readonly IReadOnlyList<ScheduledTopic> _rides;

    public TaxiModel(SimulationConfig config)
        : base(SimulationRunner.Epoch + TimeSpan.FromHours(config.Taxi.StartHourOfDay))
    {
        _config = config;
        _population = TaxiPopulation.Generate(config);
        _rides = TopicSchedule.Generate(config, _population);
        _mobility = new DriverMobility(config, _population);
        Positions = _population.Positions;
        Topics = _rides.Select(r => new PlannedTopic(r.Topic, r.TimeSeconds, r.Origin)).ToArray();
    }

    public override IReadOnlyList<GeoPoint> Positions { get; }

    public override LocalProjection Projection => _population.Projection;

    public override IReadOnlyList<PlannedTopic> Topics { get; }

    public override TimeSpan Lifetime => TimeSpan.FromMinutes(Math.Clamp(_config.Taxi.PickupWindowMinutes, 1, 60));

    public override Prices Prices => _config.Taxi.Prices;

    public override string AuthorityName => "Simulated Taxi Council";

    public override PeerKind KindOf(int node) => node < _config.PeerCount ? _population.Peers[node].Kind : PeerKind.Rider;

    public override string CertificateRole(int node) => KindOf(node) == PeerKind.Driver ? "taxi-driver" : "rider";

    public override Topic TopicOf(PlannedTopic planned)
    {
        var ride = _rides[planned.Topic];
        return new TaxiTopic(ride.PickupGeohash, null,
            Start + TimeSpan.FromSeconds(Math.Floor(ride.PickupAfterSeconds)), Start + TimeSpan.FromSeconds(Math.Ceiling(ride.PickupBeforeSeconds)));
    }

    public override IReplyPolicy PolicyFor(int node)
    {
        if (node >= _config.PeerCount || _population.Peers[node] is not { Kind: PeerKind.Driver } driver) return NeverReply.Instance;
        var taxi = _config.Taxi;
        return new OnShiftDriverPolicy(taxi, taxi.DriverShifts[driver.Shift!.Value], seconds => _mobility.AreaAt(node, seconds),
            (ulong)taxi.Prices.DriverPriceMsat, "driver " + node, Start);
    }
}
