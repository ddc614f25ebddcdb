using System.Text;

namespace SweetGossip.Simulation.Randomness;

/// <summary>
/// Small, fixed hash functions (SplitMix64 finaliser, FNV-1a). Written out here rather than taken from
/// <see cref="HashCode"/> or <see cref="string.GetHashCode()"/>, which are randomised per process: seeds
/// derived from them would differ between runs.
/// </summary>
public static class StableHash
{
    /// <summary>SplitMix64's finaliser: a bijection on 64 bits with good avalanche.</summary>
    public static ulong Mix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }

    /// <summary>Order-sensitive combination of two values.</summary>
    public static ulong Combine(ulong first, ulong second) => Mix(Mix(first) ^ (second * 0xD6E8FEB86659FD93UL));

    /// <summary>FNV-1a 64 over the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * 0x100000001B3UL;
        return hash;
    }

    /// <summary>A uniform double in the open interval (0, 1) from 64 random bits (never 0, so logs are safe).</summary>
    public static double ToOpenUnit(ulong bits) => ((bits >> 11) + 0.5) * (1.0 / (1UL << 53));
}
