using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// When and where riders ask for rides: a Poisson process at <see cref="TaxiScenario.RiderTopicsPerMinute"/>
/// over the run, each from a uniformly chosen rider (any peer if there are no riders), pickup uniform
/// over the city. Stream "topics": independent of the topology and the roles.
/// </summary>
public static class TopicSchedule
{
    public static IReadOnlyList<ScheduledTopic> Generate(SimulationConfig config, TaxiPopulation population)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(population);
        var taxi = config.Taxi;
        var box = taxi.City.ToGeoBox();
        var random = SeedStreams.Open(config.Seed, "topics");
        var perSecond = taxi.RiderTopicsPerMinute / 60.0;
        var topics = new List<ScheduledTopic>();
        if (perSecond <= 0 || population.Peers.Count == 0) return topics;

        var t = random.NextExponential(perSecond);
        while (t < config.DurationSeconds)
        {
            var origin = population.Riders.Count > 0
                ? population.Riders[random.Next(population.Riders.Count)]
                : random.Next(population.Peers.Count);
            var pickup = new GeoPoint(
                box.MinLatitude + random.NextDouble() * (box.MaxLatitude - box.MinLatitude),
                box.MinLongitude + random.NextDouble() * (box.MaxLongitude - box.MinLongitude));
            var geohash = Geohash.Encode(pickup.Latitude, pickup.Longitude, taxi.PickupPrecision);
            topics.Add(new ScheduledTopic(topics.Count, t, origin, pickup, geohash, t, t + taxi.PickupWindowMinutes * 60));
            t += random.NextExponential(perSecond);
        }
        return topics;
    }
}
