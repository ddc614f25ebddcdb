namespace SweetGossip.Simulation.Randomness;

/// <summary>
/// Independent random streams derived from one simulation seed, one per purpose ("topology", "positions",
/// …). Each part draws from its own stream, so adding draws to one part (say, more topics) does not shift
/// the numbers another part sees (the graph stays the same).
/// </summary>
public static class SeedStreams
{
    public static ulong Derive(long seed, string purpose) =>
        StableHash.Combine((ulong)seed, StableHash.Of(purpose));

    public static ulong Derive(long seed, string purpose, long index) =>
        StableHash.Combine(Derive(seed, purpose), (ulong)index);

    /// <summary>A generator for <paramref name="purpose"/> under <paramref name="seed"/>.</summary>
    public static SimRandom Open(long seed, string purpose) => new(Derive(seed, purpose));

    /// <summary>The <paramref name="index"/>-th generator for <paramref name="purpose"/> (e.g. one per node).</summary>
    public static SimRandom Open(long seed, string purpose, long index) => new(Derive(seed, purpose, index));
}
