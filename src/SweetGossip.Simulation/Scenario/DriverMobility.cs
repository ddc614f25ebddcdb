using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Randomness;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// Drivers cruising the city (random waypoint): from its position, a driver heads at
/// <see cref="Churn.DriverSpeedKmh"/> to a uniformly drawn point of the city, then to the next.
/// <see cref="PositionAt"/> is a function of (seed, driver, time) whatever order it is asked in: each
/// driver's waypoints come from its own stream ("mobility", driver id), drawn in sequence and kept.
/// At speed 0 drivers stay put. Routes are extended lazily, each in its own slot: different drivers may be
/// asked from different threads at once (a partitioned run asks each driver on the thread that runs it), one
/// driver from one thread at a time (a dictionary here, filled by two partitions' threads at once, could be
/// corrupted: a driver handed another's route, a lookup thrown or looping).
/// </summary>
public sealed class DriverMobility
{
    private readonly TaxiPopulation _population;
    private readonly GeoBox _box;
    private readonly LocalProjection _projection;
    private readonly double _metersPerSecond;
    private readonly long _seed;
    private readonly int _areaPrecision;
    private readonly Route?[] _routes;

    public DriverMobility(SimulationConfig config, TaxiPopulation population)
    {
        ArgumentNullException.ThrowIfNull(config);
        _population = population ?? throw new ArgumentNullException(nameof(population));
        _box = config.Taxi.City.ToGeoBox();
        _projection = population.Projection;
        _metersPerSecond = config.Churn.DriverSpeedKmh / 3.6;
        _seed = config.Seed;
        _areaPrecision = config.Taxi.DriverAreaPrecision;
        _routes = new Route?[population.Peers.Count];
    }

    /// <summary>Where <paramref name="node"/> is at <paramref name="seconds"/>; riders never move.</summary>
    public GeoPoint PositionAt(int node, double seconds)
    {
        var peer = _population.Peers[node];
        if (peer.Kind != PeerKind.Driver || _metersPerSecond <= 0 || seconds <= 0) return peer.Position;
        var route = _routes[node] ??= new Route(peer.Position, SeedStreams.Open(_seed, "mobility", node));
        return route.At(seconds, this);
    }

    /// <summary>The driver's area (geohash prefix of its position) at <paramref name="seconds"/>.</summary>
    public string AreaAt(int node, double seconds)
    {
        var p = PositionAt(node, seconds);
        return Geohash.Encode(p.Latitude, p.Longitude, _areaPrecision);
    }

    private GeoPoint NextWaypoint(SimRandom random) => new(
        _box.MinLatitude + random.NextDouble() * (_box.MaxLatitude - _box.MinLatitude),
        _box.MinLongitude + random.NextDouble() * (_box.MaxLongitude - _box.MinLongitude));

    /// <summary>Legs (start time, from, to, duration), extended as later times are asked for.</summary>
    private sealed class Route(GeoPoint start, SimRandom random)
    {
        private readonly List<(double Start, GeoPoint From, GeoPoint To, double Duration)> _legs = [];

        public GeoPoint At(double seconds, DriverMobility mobility)
        {
            while (_legs.Count == 0 || _legs[^1].Start + _legs[^1].Duration < seconds)
            {
                var (begin, from) = _legs.Count == 0 ? (0.0, start) : (_legs[^1].Start + _legs[^1].Duration, _legs[^1].To);
                var to = mobility.NextWaypoint(random);
                _legs.Add((begin, from, to, mobility._projection.DistanceMeters(from, to) / mobility._metersPerSecond));
            }
            var index = _legs.FindLastIndex(l => l.Start <= seconds);
            var leg = _legs[index];
            var f = leg.Duration <= 0 ? 1 : Math.Clamp((seconds - leg.Start) / leg.Duration, 0, 1);
            return new GeoPoint(leg.From.Latitude + f * (leg.To.Latitude - leg.From.Latitude),
                                leg.From.Longitude + f * (leg.To.Longitude - leg.From.Longitude));
        }
    }
}
