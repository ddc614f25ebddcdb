using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Tests.Support;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Tests.Scenario;

public class ConfigJsonTests
{
    internal static SimulationConfig Full() => new()
    {
        Seed = -42,
        DurationSeconds = 1800,
        Fanout = 4,
        DifficultyBits = 12,
        Hops = 7,
        Topology = TopologySpec.WattsStrogatz(6, 0.1),
        Taxi = new TaxiScenario
        {
            City = CityBox.Around("Melbourne CBD", -37.8136, 144.9631, 3000, 2500),
            Peers = 5000,
            DriverFraction = 0.15,
            RiderTopicsPerMinute = 12.5,
            DriverAreaPrecision = 5,
            PickupPrecision = 8,
            PickupWindowMinutes = 20,
            StartHourOfDay = 21.5,
            DriverShifts = new([new Shift { StartHour = 6, EndHour = 18, Share = 0.6 }, new Shift { StartHour = 18, EndHour = 6, Share = 0.4 }]),
            Prices = new Prices { DriverPriceMsat = 15_000_000, RelayFeeMsat = 5_000, FavourPriceMsat = 1_000 },
        },
        Attacks = new([
            new Attack { Kind = AttackKind.Eclipse, Fraction = 0.05, StartSeconds = 60, TargetNode = 17, IdentitiesPerAttacker = 20 },
            new Attack { Kind = AttackKind.CovertFlash, Fraction = 0.1, StartSeconds = 100, CovertPeriodSeconds = 300 },
            new Attack { Kind = AttackKind.Chatterbox, Fraction = 0.01, RepeatsPerTopic = 5, RepeatIntervalSeconds = 0.5 },
        ]),
        Churn = new Churn { OfflinePerHour = 0.5, OnlinePerHour = 2, LinkDropPerHour = 1, RelinkSeconds = 10, DriverSpeedKmh = 25 },
        Latency = LatencyModel.Normal(80, 20),
        Metrics = new MetricsSettings { CoverageStepSeconds = 0.1, CoverageHorizonSeconds = 30, TrafficBucketSeconds = 5 },
    };

    [Fact]
    public void A_config_survives_a_JSON_round_trip()
    {
        var config = Full();
        Assert.Empty(SimulationConfigValidator.Validate(config));
        var json = SimulationConfigJson.Serialize(config);
        Assert.Equal(config, SimulationConfigJson.Parse(json));
        Assert.Contains("\"kind\": \"Eclipse\"", json);
        Assert.Contains("\"driverFraction\": 0.15", json);
        Assert.DoesNotContain("peerCount", json); // derived, not stored

        using var folder = new TempFolder();
        SimulationConfigJson.Write(config, folder.File("config.json"));
        Assert.Equal(config, SimulationConfigJson.Read(folder.File("config.json")));
    }

    [Fact]
    public void The_default_config_is_valid_and_round_trips()
    {
        var config = new SimulationConfig();
        Assert.Empty(SimulationConfigValidator.Validate(config));
        Assert.Equal(config, SimulationConfigJson.Parse(SimulationConfigJson.Serialize(config)));
        Assert.Equal(-33.8688, (config.Taxi.City.MinLatitude + config.Taxi.City.MaxLatitude) / 2, 6);
        Assert.Equal(151.2093, (config.Taxi.City.MinLongitude + config.Taxi.City.MaxLongitude) / 2, 6);
    }

    [Fact]
    public void A_file_names_only_what_it_changes_and_may_hold_comments()
    {
        var config = SimulationConfigJson.Parse("""
            {
              // a small Sybil run
              "seed": 7,
              "taxi": { "peers": 200 },
              "topology": { "kind": "BarabasiAlbert", "attachEdges": 3 },
              "attacks": [ { "kind": "Sybil", "fraction": 0.2, "identitiesPerAttacker": 5 } ],
            }
            """);
        Assert.Equal(7, config.Seed);
        Assert.Equal(200, config.PeerCount);
        Assert.Equal(0.1, config.Taxi.DriverFraction);
        Assert.Equal(CityBox.SydneyCbd, config.Taxi.City);
        Assert.Equal(TopologySpec.BarabasiAlbert(3), config.Topology);
        Assert.Equal(5, config.Attacks.Single().EffectiveIdentitiesPerAttacker);
    }

    [Theory]
    [InlineData("""{ "fanot": 3 }""", "fanot", "could not be mapped")]
    [InlineData("""{ "taxi": { "peers": 10, "drivers": 2 } }""", "taxi.drivers", "could not be mapped")]
    [InlineData("""{ "fanout": "three" }""", "fanout", "could not be converted")]
    [InlineData("""{ "attacks": [ { "kind": "Smurf", "fraction": 0.1 } ] }""", "attacks[0].kind", "Allowed: Silent, Chatterbox, Sybil")]
    [InlineData("""{ "attacks": [ { "fraction": 0.1 } ] }""", "attacks[0]", "kind")]
    [InlineData("""{ "taxi": null }""", "taxi", "null")]
    [InlineData("""{ "seed": 1 """, "$", "")]
    public void Unparseable_files_are_errors_naming_the_field(string json, string field, string fragment)
    {
        var e = Assert.Throws<SimulationConfigException>(() => SimulationConfigJson.Parse(json));
        var error = Assert.Single(e.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void Invalid_values_are_errors_naming_each_field()
    {
        var config = new SimulationConfig
        {
            Fanout = 0,
            Hops = 40,
            OriginCoverKeep = 1,
            AnnounceGatherWindowMs = -1,
            Topology = new TopologySpec { Kind = TopologyKind.RandomRegular, Degree = 3, EdgeProbability = 0.1 },
            Taxi = new TaxiScenario { Peers = 101, DriverFraction = 1.5, PickupPrecision = 9, DriverShifts = new([new Shift { Share = 0.5 }]) },
            Attacks = new([
                new Attack { Kind = AttackKind.Eclipse, Fraction = 0.7 },
                new Attack { Kind = AttackKind.Silent, Fraction = 0.5, TargetNode = 3, CovertPeriodSeconds = 10 },
                new Attack { Kind = AttackKind.CovertFlash, Fraction = 0, StartSeconds = 9999 },
            ]),
            Latency = new LatencyModel { Kind = LatencyKind.Uniform, MinMilliseconds = 50, MaxMilliseconds = 10, Sigma = 1 },
        };
        var fields = SimulationConfigValidator.Validate(config).Select(e => e.Field).ToHashSet();
        string[] expected =
        [
            "fanout", "hops", "originCoverKeep", "announceGatherWindowMs", "topology.degree", "topology.edgeProbability", "taxi.driverFraction", "taxi.pickupPrecision",
            "taxi.driverShifts", "attacks[0].targetNode", "attacks[1].targetNode", "attacks[1].covertPeriodSeconds",
            "attacks[2].covertPeriodSeconds", "attacks[2].startSeconds", "attacks", "latency.maxMilliseconds", "latency.sigma",
        ];
        Assert.All(expected, f => Assert.Contains(f, fields));

        var e = Assert.Throws<SimulationConfigException>(() => SimulationConfigJson.Parse(SimulationConfigJson.Serialize(config)));
        Assert.Contains("attacks[0].targetNode: is required for attack kind Eclipse", e.Message);
        Assert.Contains("topology.degree: degree × peers must be even (got 3 × 101)", e.Message);
        Assert.Contains("topology.edgeProbability: is not used by topology kind RandomRegular; remove it", e.Message);
    }

    [Fact]
    public void A_target_must_be_a_peer_and_a_geographic_topology_needs_a_rule()
    {
        var config = new SimulationConfig
        {
            Taxi = new TaxiScenario { Peers = 10 },
            Topology = new TopologySpec { Kind = TopologyKind.Geographic },
            Attacks = new([new Attack { Kind = AttackKind.Censorship, Fraction = 0.1, TargetNode = 10 }]),
        };
        var errors = SimulationConfigValidator.Validate(config);
        Assert.Contains(errors, e => e.Field == "attacks[0].targetNode" && e.Message.Contains("[0, 9]"));
        Assert.Contains(errors, e => e.Field == "topology.radiusMeters" && e.Message.Contains("nearestNeighbours"));
    }

    [Fact]
    public void Values_lists_compare_by_content()
    {
        Assert.Equal(new SimulationConfig { Attacks = new([new Attack { Kind = AttackKind.Silent, Fraction = 0.1 }]) },
                     new SimulationConfig { Attacks = new([new Attack { Kind = AttackKind.Silent, Fraction = 0.1 }]) });
        Assert.NotEqual(new SimulationConfig(), new SimulationConfig { Attacks = new ValueList<Attack>([new Attack { Kind = AttackKind.Silent, Fraction = 0.1 }]) });
    }
}
