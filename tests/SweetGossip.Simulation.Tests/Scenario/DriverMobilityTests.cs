using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Tests.Scenario;

public class DriverMobilityTests
{
    private static readonly SimulationConfig Config = new()
    {
        Seed = 4,
        Taxi = new TaxiScenario { Peers = 50, DriverFraction = 0.5 },
        Churn = new Churn { DriverSpeedKmh = 36 }, // 10 m/s
    };

    [Fact]
    public void Drivers_move_at_their_speed_inside_the_city_and_riders_stay()
    {
        var population = TaxiPopulation.Generate(Config);
        var mobility = new DriverMobility(Config, population);
        var driver = population.Drivers[0];
        var rider = population.Riders[0];
        Assert.Equal(population.Peers[driver].Position, mobility.PositionAt(driver, 0));
        Assert.Equal(population.Peers[rider].Position, mobility.PositionAt(rider, 500));

        var box = Config.Taxi.City.ToGeoBox();
        for (var t = 0.0; t < 2000; t += 7)
        {
            var here = mobility.PositionAt(driver, t);
            Assert.True(box.Contains(here));
            Assert.True(population.Projection.DistanceMeters(here, mobility.PositionAt(driver, t + 7)) <= 70 + 1e-6);
        }
        Assert.NotEqual(population.Peers[driver].Position, mobility.PositionAt(driver, 60));
        Assert.Equal(6, mobility.AreaAt(driver, 60).Length);
    }

    [Fact]
    public void Positions_do_not_depend_on_the_order_they_are_asked_in()
    {
        var population = TaxiPopulation.Generate(Config);
        var forward = new DriverMobility(Config, population);
        var backward = new DriverMobility(Config, population);
        var times = Enumerable.Range(0, 50).Select(i => i * 40.0).ToArray();
        var a = times.Select(t => forward.PositionAt(population.Drivers[1], t)).ToArray();
        var b = times.Reverse().Select(t => backward.PositionAt(population.Drivers[1], t)).Reverse().ToArray();
        Assert.Equal(a, b);
    }
}
