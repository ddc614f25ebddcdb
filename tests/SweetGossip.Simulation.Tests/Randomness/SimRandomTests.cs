using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Tests.Randomness;

public class SimRandomTests
{
    [Fact]
    public void The_same_seed_gives_the_same_sequence_and_another_seed_another()
    {
        var a = new SimRandom(42);
        var b = new SimRandom(42);
        var c = new SimRandom(43);
        var xs = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(xs, Enumerable.Range(0, 100).Select(_ => b.NextUInt64()));
        Assert.NotEqual(xs, Enumerable.Range(0, 100).Select(_ => c.NextUInt64()));
    }

    [Fact]
    public void The_sequence_is_pinned_so_a_change_of_algorithm_cannot_go_unnoticed()
    {
        // Published results must be reproducible on later runtimes; these values are this generator's.
        var random = SeedStreams.Open(1, "pin");
        var first = Enumerable.Range(0, 3).Select(_ => random.Next(1_000_000)).ToArray();
        // Taken from this implementation once and kept: a failure means every simulation result changed.
        Assert.Equal([206424, 127754, 798914], first);
    }

    [Fact]
    public void The_generator_is_xoshiro256_starstar()
    {
        // Reference outputs of xoshiro256** from state {1, 2, 3, 4} (as in the rand_xoshiro crate's tests).
        var random = SimRandom.FromState(1, 2, 3, 4);
        ulong[] expected = [11520, 0, 1509978240, 1215971899390074240, 1216172134540287360, 607988272756665600];
        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(_ => random.NextUInt64()));
    }

    [Fact]
    public void Purposes_give_independent_streams_and_derivation_is_stable()
    {
        Assert.Equal(SeedStreams.Derive(7, "topology"), SeedStreams.Derive(7, "topology"));
        Assert.NotEqual(SeedStreams.Derive(7, "topology"), SeedStreams.Derive(7, "positions"));
        Assert.NotEqual(SeedStreams.Derive(7, "topology"), SeedStreams.Derive(8, "topology"));
        Assert.NotEqual(SeedStreams.Derive(7, "x", 0), SeedStreams.Derive(7, "x", 1));
    }

    [Fact]
    public void Bounded_draws_stay_in_range_and_cover_it()
    {
        var random = new SimRandom(5);
        var seen = new int[10];
        for (var i = 0; i < 10_000; i++)
        {
            var v = random.Next(3, 13);
            Assert.InRange(v, 3, 12);
            seen[v - 3]++;
        }
        Assert.All(seen, count => Assert.InRange(count, 800, 1200));
        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(random.NextDouble(), 0.0, 0.9999999999999999);
            Assert.InRange(random.Next(), 0, int.MaxValue - 1);
        }
        Assert.Equal(0, random.Next(0));
        Assert.Equal(5, random.Next(5, 5));
    }

    [Fact]
    public void Exponential_draws_have_the_right_mean_and_rate_zero_means_never()
    {
        var random = new SimRandom(9);
        var mean = Enumerable.Range(0, 20_000).Average(_ => random.NextExponential(2.0));
        Assert.InRange(mean, 0.48, 0.52);
        Assert.Equal(double.PositiveInfinity, random.NextExponential(0));
    }

    [Fact]
    public void Shuffle_through_the_Random_base_uses_this_generator()
    {
        int[] Shuffled(ulong seed)
        {
            var items = Enumerable.Range(0, 50).ToArray();
            new SimRandom(seed).Shuffle(items);
            return items;
        }
        Assert.Equal(Shuffled(3), Shuffled(3));
        Assert.NotEqual(Shuffled(3), Shuffled(4));
        Assert.Equal(Enumerable.Range(0, 50), Shuffled(3).Order());
    }
}
