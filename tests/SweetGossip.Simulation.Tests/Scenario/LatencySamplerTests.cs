using SweetGossip.Simulation.Randomness;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Tests.Scenario;

public class LatencySamplerTests
{
    private static double[] Draws(LatencyModel model, long seed, int count = 20_000)
    {
        var sampler = new LatencySampler(model, seed);
        return Enumerable.Range(0, count).Select(i => sampler.SampleMilliseconds(i % 97, i % 89 + 100, i)).ToArray();
    }

    [Fact]
    public void Samples_are_a_function_of_seed_link_and_sequence_whatever_the_call_order()
    {
        var model = LatencyModel.LogNormal(40, 0.6);
        var a = new LatencySampler(model, 5);
        var b = new LatencySampler(model, 5);
        var forward = Enumerable.Range(0, 100).Select(i => a.SampleMilliseconds(1, 2, i)).ToArray();
        var backward = Enumerable.Range(0, 100).Reverse().Select(i => b.SampleMilliseconds(1, 2, i)).Reverse().ToArray();
        Assert.Equal(forward, backward);
        Assert.NotEqual(a.SampleMilliseconds(1, 2, 0), a.SampleMilliseconds(2, 1, 0)); // each direction is its own link
        Assert.NotEqual(a.SampleMilliseconds(1, 2, 0), new LatencySampler(model, 6).SampleMilliseconds(1, 2, 0));
    }

    [Fact]
    public void Stream_sampling_is_reproducible_too()
    {
        var sampler = new LatencySampler(LatencyModel.Uniform(10, 20), 1);
        double[] Run() { var r = SeedStreams.Open(1, "link"); return Enumerable.Range(0, 50).Select(_ => sampler.SampleMilliseconds(r)).ToArray(); }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Constant_and_uniform_stay_where_they_should()
    {
        Assert.All(Draws(LatencyModel.Constant(25), 1, 100), d => Assert.Equal(25, d));
        var uniform = Draws(LatencyModel.Uniform(10, 30), 1);
        Assert.All(uniform, d => Assert.InRange(d, 10, 30));
        Assert.InRange(uniform.Average(), 19.7, 20.3);
    }

    [Fact]
    public void Normal_has_its_mean_and_spread_and_is_never_negative()
    {
        var normal = Draws(LatencyModel.Normal(100, 15), 2);
        var mean = normal.Average();
        var sd = Math.Sqrt(normal.Average(d => (d - mean) * (d - mean)));
        Assert.InRange(mean, 99, 101);
        Assert.InRange(sd, 14.3, 15.7);
        Assert.All(Draws(LatencyModel.Normal(5, 10), 2), d => Assert.True(d >= 0));
    }

    [Fact]
    public void Log_normal_has_its_median_and_a_right_tail()
    {
        var draws = Draws(LatencyModel.LogNormal(40, 0.6), 3).Order().ToArray();
        Assert.InRange(draws[draws.Length / 2], 38.5, 41.5);
        Assert.True(draws.Average() > 40, "the mean of a log-normal is above its median");
        Assert.All(draws, d => Assert.True(d > 0));
    }
}
