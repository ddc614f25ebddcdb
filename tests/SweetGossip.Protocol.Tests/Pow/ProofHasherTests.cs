using System.Buffers.Binary;
using System.Security.Cryptography;
using FsCheck.Xunit;
using SweetGossip.Protocol.Pow;

namespace SweetGossip.Protocol.Tests.Pow;

/// <summary>The solver's own SHA-256 of a proof preimage must be the platform's, bit for bit, or proofs would not verify.</summary>
public class ProofHasherTests
{
    private static byte[] Platform(byte[] challenge, ulong nonce)
    {
        var preimage = new byte[40];
        challenge.CopyTo(preimage, 0);
        BinaryPrimitives.WriteUInt64BigEndian(preimage.AsSpan(32), nonce);
        return SHA256.HashData(preimage);
    }

    [Property(MaxTest = 500)]
    public bool Hash_equals_the_platforms_sha256(ulong seed, ulong nonce)
    {
        var challenge = SHA256.HashData(BitConverter.GetBytes(seed));
        var mine = new byte[32];
        new ProofHasher(challenge).Hash(nonce, mine);
        return mine.AsSpan().SequenceEqual(Platform(challenge, nonce));
    }

    [Fact]
    public void Leading64_is_the_first_eight_bytes_for_edge_challenges_and_nonces()
    {
        foreach (var fill in new byte[] { 0x00, 0xff, 0x80 })
        {
            var challenge = Enumerable.Repeat(fill, 32).ToArray();
            var hasher = new ProofHasher(challenge);
            foreach (var nonce in new[] { 0UL, 1UL, ulong.MaxValue, 0x8000_0000_0000_0000UL, 0x0000_0001_0000_0000UL })
                Assert.Equal(BinaryPrimitives.ReadUInt64BigEndian(Platform(challenge, nonce)), hasher.Leading64(nonce));
        }
    }

    [Fact]
    public void Solutions_found_with_it_verify_with_the_platforms_hash()
    {
        var challenge = SHA256.HashData("sweetgossip proof"u8);
        for (var bits = 0; bits <= 12; bits += 4)
        {
            var solution = PowSolver.Solve(challenge, bits, 0, ulong.MaxValue, CancellationToken.None);
            Assert.True(PowVerifier.Satisfies(challenge, solution.Nonce, bits));
        }
    }
}
