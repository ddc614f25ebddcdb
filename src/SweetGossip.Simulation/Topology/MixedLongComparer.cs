using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Topology;

/// <summary>
/// Hashes packed edges well. <c>long.GetHashCode</c> XORs the two halves, so a ring's edges (u, u+j) all
/// hash to tiny values and a HashSet of them degrades to long chains (minutes for 100,000 nodes).
/// </summary>
internal sealed class MixedLongComparer : IEqualityComparer<long>
{
    public static readonly MixedLongComparer Instance = new();

    public bool Equals(long x, long y) => x == y;

    public int GetHashCode(long value) => (int)StableHash.Mix((ulong)value);
}
