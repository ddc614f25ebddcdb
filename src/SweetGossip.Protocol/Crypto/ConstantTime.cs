using System.Security.Cryptography;

namespace SweetGossip.Protocol.Crypto;

/// <summary>Comparisons of secrets (MACs, preimages) whose timing must not reveal where they differ.</summary>
public static class ConstantTime
{
    /// <summary>
    /// True when both spans hold the same bytes. Lengths are not secret, so a length mismatch
    /// returns false immediately; equal-length inputs take the same time wherever they differ.
    /// </summary>
    public static bool Equals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        a.Length == b.Length && CryptographicOperations.FixedTimeEquals(a, b);
}
