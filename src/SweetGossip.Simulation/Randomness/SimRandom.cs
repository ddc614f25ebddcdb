namespace SweetGossip.Simulation.Randomness;

/// <summary>
/// A seeded xoshiro256** generator, usable wherever a <see cref="Random"/> is expected (e.g.
/// <c>FanoutSelector.Choose</c>).
/// </summary>
/// <remarks>
/// Why not <c>new Random(seed)</c>: .NET documents that the sequence of a seeded <see cref="Random"/> may
/// change between runtime versions. Published simulation results must be reproducible on the next SDK, so
/// the algorithm is fixed here. Every virtual member is overridden, so <see cref="Random"/>'s own algorithm
/// is never used (its non-virtual helpers such as <c>Shuffle</c> call back into these).
/// Not thread-safe: give each thread or actor its own stream (<see cref="SeedStreams.Open(long, string, long)"/>).
/// </remarks>
public sealed class SimRandom : Random
{
    private ulong _s0, _s1, _s2, _s3;

    public SimRandom(ulong seed)
    {
        // SplitMix64 expands the seed; it never yields four zero words, which xoshiro must not start from.
        var state = seed;
        _s0 = NextSplitMix(ref state);
        _s1 = NextSplitMix(ref state);
        _s2 = NextSplitMix(ref state);
        _s3 = NextSplitMix(ref state);
    }

    /// <summary>A generator in a given raw state (for checking against the reference implementation's vectors).</summary>
    internal static SimRandom FromState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        var random = new SimRandom(0);
        (random._s0, random._s1, random._s2, random._s3) = (s0, s1, s2, s3);
        return random;
    }

    private static ulong NextSplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>64 uniformly random bits.</summary>
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>), unbiased (Lemire's multiply-and-reject).</summary>
    public ulong NextBounded(ulong bound)
    {
        if (bound == 0) throw new ArgumentOutOfRangeException(nameof(bound), "Bound must be positive.");
        var high = Math.BigMul(NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0 - bound) % bound;
            while (low < threshold)
                high = Math.BigMul(NextUInt64(), bound, out low);
        }
        return high;
    }

    public override int Next() => (int)NextBounded(int.MaxValue);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue == 0 ? 0 : (int)NextBounded((ulong)maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        if (minValue > maxValue) throw new ArgumentOutOfRangeException(nameof(minValue), "minValue must not exceed maxValue.");
        var range = (ulong)((long)maxValue - minValue);
        return range == 0 ? minValue : (int)(minValue + (long)NextBounded(range));
    }

    public override long NextInt64() => (long)NextBounded(long.MaxValue);

    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue == 0 ? 0 : (long)NextBounded((ulong)maxValue);
    }

    public override long NextInt64(long minValue, long maxValue)
    {
        if (minValue > maxValue) throw new ArgumentOutOfRangeException(nameof(minValue), "minValue must not exceed maxValue.");
        var range = (ulong)(maxValue - minValue);
        return range == 0 ? minValue : minValue + (long)NextBounded(range);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    public override void NextBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        NextBytes(buffer.AsSpan());
    }

    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i += 8)
        {
            var word = NextUInt64();
            for (var j = 0; j < 8 && i + j < buffer.Length; j++)
                buffer[i + j] = (byte)(word >> (8 * j));
        }
    }

    protected override double Sample() => NextDouble();

    /// <summary>A standard normal draw (Box–Muller; one of the pair is discarded so the state stays simple).</summary>
    public double NextGaussian()
    {
        var u1 = StableHash.ToOpenUnit(NextUInt64());
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>An exponential draw with the given rate (events per unit); +∞ when the rate is 0.</summary>
    public double NextExponential(double rate)
    {
        if (!(rate >= 0) || double.IsInfinity(rate)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "Rate must be finite and non-negative.");
        return rate == 0 ? double.PositiveInfinity : -Math.Log(StableHash.ToOpenUnit(NextUInt64())) / rate;
    }
}
