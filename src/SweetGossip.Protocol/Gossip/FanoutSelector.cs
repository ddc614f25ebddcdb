namespace SweetGossip.Protocol.Gossip;

/// <summary>
/// Chooses which peers a broadcast goes to next: up to <c>fanout</c> of the candidates, never back to
/// the peer it came from, uniformly at random from a seeded source so simulations are reproducible.
/// </summary>
public static class FanoutSelector
{
    public static IReadOnlyList<T> Choose<T>(IReadOnlyList<T> candidates, T? exclude, int fanout, Random random) =>
        Choose(candidates, exclude is null ? [] : [exclude], fanout, random);

    /// <summary>Up to <paramref name="fanout"/> of the candidates not in <paramref name="exclude"/>, a uniform sample.</summary>
    public static IReadOnlyList<T> Choose<T>(IReadOnlyList<T> candidates, IReadOnlyCollection<T> exclude, int fanout, Random random)
    {
        var pool = exclude.Count == 0 ? candidates.ToList() : candidates.Where(c => !exclude.Contains(c)).ToList();
        if (pool.Count <= fanout) return pool;
        // Partial Fisher–Yates: the first `fanout` slots end up a uniform sample.
        for (var i = 0; i < fanout; i++)
        {
            var j = random.Next(i, pool.Count);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool.GetRange(0, fanout);
    }
}
