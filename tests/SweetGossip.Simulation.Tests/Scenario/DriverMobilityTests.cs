using SweetGossip.Simulation.Scenario;
using SweetGossip.Protocol.Topics;

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

    [Fact]
    public void Drivers_asked_from_several_threads_at_once_are_where_they_are_when_asked_from_one()
    {
        // A partitioned run asks each driver on the thread that runs it, several threads at once (one model for all).
        var config = Config with { Taxi = Config.Taxi with { Peers = 200_000 } };
        var population = TaxiPopulation.Generate(config);
        var drivers = population.Drivers.ToArray();
        var alone = new DriverMobility(config, population);
        var expected = drivers.Select(d => alone.PositionAt(d, 30)).ToArray();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var shared = new DriverMobility(config, population);
            var threads = 4;
            var actual = new GeoPoint[drivers.Length];
            Exception? failure = null;
            using var start = new Barrier(threads);
            var workers = Enumerable.Range(0, threads).Select(k => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    // Interleaved ids: each thread's first look-ups add to the routes while the others do.
                    for (var i = k; i < drivers.Length; i += threads) actual[i] = shared.PositionAt(drivers[i], 30);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            }) { IsBackground = true }).ToArray();
            foreach (var worker in workers) worker.Start();
            foreach (var worker in workers) Assert.True(worker.Join(TimeSpan.FromMinutes(2)), "a look-up did not return (a corrupted table loops)");
            Assert.Null(failure);
            Assert.Equal(expected, actual);
        }
    }
}
