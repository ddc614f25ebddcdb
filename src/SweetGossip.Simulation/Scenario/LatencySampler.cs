using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// Draws latencies from a <see cref="LatencyModel"/>, reproducibly.
/// </summary>
/// <remarks>
/// <see cref="SampleMilliseconds(int, int, long)"/> is a pure function of (seed, from, to, sequence): the
/// runner gets the same latency for the n-th message on a link however its actors interleave, which a
/// shared generator drawn from in arrival order could not promise. Use sequence 0 for a fixed per-link latency.
/// </remarks>
public sealed class LatencySampler
{
    private readonly LatencyModel _model;
    private readonly ulong _stream;

    public LatencySampler(LatencyModel model, long seed)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _stream = SeedStreams.Derive(seed, "latency");
    }

    /// <summary>Latency of message number <paramref name="sequence"/> sent from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public double SampleMilliseconds(int from, int to, long sequence)
    {
        var key = StableHash.Combine(StableHash.Combine(_stream, ((ulong)(uint)from << 32) | (uint)to), (ulong)sequence);
        var u1 = StableHash.ToOpenUnit(StableHash.Mix(key));
        var u2 = StableHash.ToOpenUnit(StableHash.Mix(key ^ 0x5851F42D4C957F2DUL));
        return FromUniforms(u1, u2);
    }

    /// <summary>A latency drawn from <paramref name="random"/> (for a runner that owns one stream per link).</summary>
    public double SampleMilliseconds(SimRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return FromUniforms(StableHash.ToOpenUnit(random.NextUInt64()), StableHash.ToOpenUnit(random.NextUInt64()));
    }

    /// <summary>Maps two independent uniforms in (0, 1) to a draw (Box–Muller for the normal kinds).</summary>
    private double FromUniforms(double u1, double u2)
    {
        var m = _model;
        return m.Kind switch
        {
            LatencyKind.Constant => Need(m.Milliseconds),
            LatencyKind.Uniform => Need(m.MinMilliseconds) + u1 * (Need(m.MaxMilliseconds) - Need(m.MinMilliseconds)),
            LatencyKind.Normal => Math.Max(0, Need(m.MeanMilliseconds) + Need(m.StdDevMilliseconds) * Gaussian(u1, u2)),
            LatencyKind.LogNormal => Need(m.MedianMilliseconds) * Math.Exp(Need(m.Sigma) * Gaussian(u1, u2)),
            _ => throw new InvalidOperationException($"Unknown latency kind {m.Kind}."),
        };
    }

    private static double Gaussian(double u1, double u2) => Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);

    private double Need(double? value) =>
        value ?? throw new InvalidOperationException($"The {_model.Kind} latency model is missing a parameter; validate the config first.");
}
