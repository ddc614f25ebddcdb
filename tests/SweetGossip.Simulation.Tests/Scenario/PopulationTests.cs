using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Tests.Scenario;

public class PopulationTests
{
    private static readonly SimulationConfig Config = new()
    {
        Seed = 3,
        DurationSeconds = 3600,
        Taxi = new TaxiScenario
        {
            Peers = 2000,
            DriverFraction = 0.25,
            RiderTopicsPerMinute = 10,
            StartHourOfDay = 12,
            DriverShifts = new([new Shift { StartHour = 6, EndHour = 18, Share = 0.5 }, new Shift { StartHour = 18, EndHour = 6, Share = 0.5 }]),
        },
        Attacks = new([
            new Attack { Kind = AttackKind.Eclipse, Fraction = 0.1, TargetNode = 5 },
            new Attack { Kind = AttackKind.Silent, Fraction = 0.2 },
        ]),
    };

    [Fact]
    public void Drivers_are_the_configured_share_with_areas_from_their_positions()
    {
        var population = TaxiPopulation.Generate(Config);
        Assert.Equal(500, population.Drivers.Count);
        Assert.Equal(1500, population.Riders.Count);
        var box = Config.Taxi.City.ToGeoBox();
        foreach (var peer in population.Peers)
        {
            Assert.True(box.Contains(peer.Position));
            if (peer.Kind == PeerKind.Driver)
                Assert.Equal(Geohash.Encode(peer.Position.Latitude, peer.Position.Longitude, 6), peer.Area);
            else
                Assert.Null(peer.Area);
        }
        Assert.Equal(250, population.Peers.Count(p => p.Shift == 0));
        Assert.Equal(250, population.Peers.Count(p => p.Shift == 1));
    }

    [Fact]
    public void Interested_drivers_cover_the_pickup_and_are_on_shift()
    {
        var population = TaxiPopulation.Generate(Config);
        var driver = population.Peers.First(p => p.Kind == PeerKind.Driver && p.Shift == 0);
        var pickup = Geohash.Encode(driver.Position.Latitude, driver.Position.Longitude, 7);

        var noon = population.InterestedDrivers(pickup, atSeconds: 0); // 12:00: day shift
        Assert.Contains(driver.Node, noon);
        Assert.All(noon, d => Assert.True(population.Peers[d].Area == pickup[..6] && population.Peers[d].Shift == 0));

        var night = population.InterestedDrivers(pickup, atSeconds: 10 * 3600); // 22:00: night shift
        Assert.DoesNotContain(driver.Node, night);
        Assert.All(night, d => Assert.Equal(1, population.Peers[d].Shift));
    }

    [Fact]
    public void The_population_positions_are_the_ones_a_geographic_topology_links()
    {
        var population = TaxiPopulation.Generate(Config);
        Assert.Equal(GeoPlacement.Uniform(2000, Config.Taxi.City.ToGeoBox(), Config.Seed), population.Positions);
    }

    [Fact]
    public void Topics_arrive_at_the_configured_rate_in_time_order_from_riders()
    {
        var population = TaxiPopulation.Generate(Config);
        var topics = TopicSchedule.Generate(Config, population);
        Assert.InRange(topics.Count, 600 - 5 * Math.Sqrt(600), 600 + 5 * Math.Sqrt(600));
        Assert.Equal(Enumerable.Range(0, topics.Count), topics.Select(t => t.Topic));
        Assert.True(topics.Zip(topics.Skip(1), (a, b) => a.TimeSeconds <= b.TimeSeconds).All(inOrder => inOrder));
        Assert.All(topics, t =>
        {
            Assert.Equal(PeerKind.Rider, population.Peers[t.Origin].Kind);
            Assert.Equal(7, t.PickupGeohash.Length);
            Assert.Equal(t.TimeSeconds + 1800, t.PickupBeforeSeconds, 9);
        });
        Assert.Equal(topics, TopicSchedule.Generate(Config, TaxiPopulation.Generate(Config)));
    }

    [Fact]
    public void Attackers_are_distinct_per_attack_never_the_target_and_reproducible()
    {
        var plan = AdversaryPlan.Assign(Config);
        var eclipse = plan.Attacks[0].Attackers;
        var silent = plan.Attacks[1].Attackers;
        Assert.Equal(200, eclipse.Count);
        Assert.Equal(400, silent.Count);
        Assert.Empty(eclipse.Intersect(silent));
        Assert.DoesNotContain(5, eclipse);
        Assert.DoesNotContain(5, silent);
        Assert.True(plan.IsHonest(5));
        Assert.Equal(AttackKind.Silent, plan.AttackOf(silent[0])!.Attack.Kind);
        Assert.Equal(1400, Enumerable.Range(0, 2000).Count(plan.IsHonest));
        Assert.Equal(plan.Attacks, AdversaryPlan.Assign(Config).Attacks);
    }

    [Fact]
    public void The_topology_factory_builds_each_kind_from_the_config()
    {
        var population = TaxiPopulation.Generate(Config);
        Graph Build(TopologySpec spec) => TopologyFactory.Build(spec, population.Positions, population.Projection, Config.Seed);
        Assert.Equal(8000, Build(TopologySpec.RandomRegular(8)).EdgeCount);
        Assert.Equal(3 * 1997, Build(TopologySpec.BarabasiAlbert(3)).EdgeCount);
        Assert.Equal(6000, Build(TopologySpec.WattsStrogatz(6, 0.1)).EdgeCount);
        Assert.True(Build(TopologySpec.ErdosRenyi(0.004)).EdgeCount > 0);
        var geo = Build(TopologySpec.Geographic(null, 4));
        Assert.All(Enumerable.Range(0, 2000), n => Assert.True(geo.Degree(n) >= 4));
        Assert.Throws<ArgumentException>(() => Build(new TopologySpec { Kind = TopologyKind.RandomRegular }));
    }

    [Fact]
    public void Churn_waiting_times_follow_their_rates()
    {
        var churn = new Churn { OfflinePerHour = 2, OnlinePerHour = 0 };
        var random = new Simulation.Randomness.SimRandom(1);
        Assert.InRange(Enumerable.Range(0, 20_000).Average(_ => churn.SampleSecondsUntilOffline(random)), 1750, 1850);
        Assert.Equal(double.PositiveInfinity, churn.SampleSecondsUntilOnline(random));
        Assert.Equal(double.PositiveInfinity, churn.SampleSecondsUntilLinkDrop(random));
    }
}
