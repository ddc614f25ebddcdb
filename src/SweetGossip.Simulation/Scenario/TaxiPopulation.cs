using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Randomness;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// Who is who in a taxi scenario: every peer's position (uniform over the city, stream "positions", the
/// same positions a geographic topology links), which peers are drivers (stream "roles"), their areas
/// and shifts. A function of the config alone.
/// </summary>
public sealed class TaxiPopulation
{
    private readonly TaxiScenario _scenario;
    private readonly Dictionary<string, int[]> _driversByArea;

    private TaxiPopulation(TaxiScenario scenario, TaxiPeer[] peers, LocalProjection projection)
    {
        _scenario = scenario;
        Peers = peers;
        Projection = projection;
        Drivers = peers.Where(p => p.Kind == PeerKind.Driver).Select(p => p.Node).ToArray();
        Riders = peers.Where(p => p.Kind == PeerKind.Rider).Select(p => p.Node).ToArray();
        _driversByArea = peers.Where(p => p.Area is not null)
            .GroupBy(p => p.Area!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Node).Order().ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyList<TaxiPeer> Peers { get; }

    /// <summary>Drivers' node ids, ascending.</summary>
    public IReadOnlyList<int> Drivers { get; }

    /// <summary>Riders' node ids, ascending.</summary>
    public IReadOnlyList<int> Riders { get; }

    public LocalProjection Projection { get; }

    public IReadOnlyList<GeoPoint> Positions => Peers.Select(p => p.Position).ToArray();

    public static TaxiPopulation Generate(SimulationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var taxi = config.Taxi;
        var box = taxi.City.ToGeoBox();
        var n = taxi.Peers;
        var positions = GeoPlacement.Uniform(n, box, config.Seed);

        // Drivers: the first D of a seeded permutation; shifts by share in that same order.
        var order = Enumerable.Range(0, n).ToArray();
        SeedStreams.Open(config.Seed, "roles").Shuffle(order);
        var driverCount = (int)Math.Round(taxi.DriverFraction * n, MidpointRounding.AwayFromZero);
        var shiftOf = new int?[n];
        var isDriver = new bool[n];
        var assigned = 0;
        for (var s = 0; s < taxi.DriverShifts.Count; s++)
        {
            var take = s == taxi.DriverShifts.Count - 1
                ? driverCount - assigned
                : Math.Min(driverCount - assigned, (int)Math.Round(taxi.DriverShifts[s].Share * driverCount, MidpointRounding.AwayFromZero));
            for (var i = 0; i < take; i++)
            {
                var node = order[assigned + i];
                isDriver[node] = true;
                shiftOf[node] = s;
            }
            assigned += take;
        }

        var peers = new TaxiPeer[n];
        for (var node = 0; node < n; node++)
        {
            var p = positions[node];
            peers[node] = isDriver[node]
                ? new TaxiPeer(node, PeerKind.Driver, p, Geohash.Encode(p.Latitude, p.Longitude, taxi.DriverAreaPrecision), shiftOf[node])
                : new TaxiPeer(node, PeerKind.Rider, p, null, null);
        }
        return new TaxiPopulation(taxi, peers, LocalProjection.For(box));
    }

    /// <summary>
    /// Drivers who would take a ride picked up in <paramref name="pickupGeohash"/> at simulation time
    /// <paramref name="atSeconds"/>: their area covers the pickup and they are on shift. Ascending ids.
    /// </summary>
    public IReadOnlyList<int> InterestedDrivers(string pickupGeohash, double atSeconds)
    {
        ArgumentNullException.ThrowIfNull(pickupGeohash);
        if (pickupGeohash.Length < _scenario.DriverAreaPrecision) return [];
        if (!_driversByArea.TryGetValue(pickupGeohash[.._scenario.DriverAreaPrecision], out var drivers)) return [];
        var hour = _scenario.HourOfDay(atSeconds);
        return drivers.Where(d => _scenario.DriverShifts[Peers[d].Shift!.Value].IsWorking(hour)).ToArray();
    }
}
