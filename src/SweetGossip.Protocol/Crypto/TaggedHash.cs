using System.Security.Cryptography;
using System.Text;

namespace SweetGossip.Protocol.Crypto;

/// <summary>
/// BIP-340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || data). The tag separates hash uses,
/// so a digest computed for one purpose can never be replayed as a digest for another.
/// </summary>
public static class TaggedHash
{
    internal const int Length = 32;

    // Inputs up to this size are hashed from a stack buffer in one call, avoiding the allocation of
    // an IncrementalHash. Covers every BIP-340 hash (at most 64 + 96 bytes).
    private const int StackBufferLimit = 512;

    public static byte[] Compute(string tag, ReadOnlySpan<byte> data) => Compute(tag, data, default);

    /// <summary>Hash of the concatenation data1 || data2, without copying the inputs together first.</summary>
    public static byte[] Compute(string tag, ReadOnlySpan<byte> data1, ReadOnlySpan<byte> data2)
    {
        Span<byte> tagHash = stackalloc byte[Length];
        HashTag(tag, tagHash);
        var result = new byte[Length];
        Compute(tagHash, data1, data2, default, result);
        return result;
    }

    /// <summary>SHA256(tag) for callers that hash under the same tag repeatedly.</summary>
    internal static byte[] HashTag(string tag)
    {
        var tagHash = new byte[Length];
        HashTag(tag, tagHash);
        return tagHash;
    }

    private static void HashTag(string tag, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(tag);
        SHA256.HashData(Encoding.UTF8.GetBytes(tag), destination);
    }

    /// <summary>Tagged hash of data1 || data2 || data3 given the precomputed SHA256(tag).</summary>
    internal static void Compute(
        ReadOnlySpan<byte> tagHash,
        ReadOnlySpan<byte> data1,
        ReadOnlySpan<byte> data2,
        ReadOnlySpan<byte> data3,
        Span<byte> destination)
    {
        long total = 2L * Length + data1.Length + data2.Length + data3.Length;
        if (total <= StackBufferLimit)
        {
            Span<byte> buffer = stackalloc byte[(int)total];
            tagHash.CopyTo(buffer);
            tagHash.CopyTo(buffer[Length..]);
            var offset = 2 * Length;
            data1.CopyTo(buffer[offset..]);
            offset += data1.Length;
            data2.CopyTo(buffer[offset..]);
            offset += data2.Length;
            data3.CopyTo(buffer[offset..]);
            SHA256.HashData(buffer, destination);

            // Signing hashes secret-derived bytes; don't leave them on the stack.
            CryptographicOperations.ZeroMemory(buffer);
            return;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(tagHash);
        hash.AppendData(tagHash);
        hash.AppendData(data1);
        hash.AppendData(data2);
        hash.AppendData(data3);
        hash.GetHashAndReset(destination);
    }
}
