using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace SweetGossip.Protocol.Pow;

// Proof hash = SHA-256( challenge_hash (32) || nonce (8, big-endian) ). 40 bytes fit one SHA-256 block
// (with padding), so checking a proof costs one compression after the challenge hash.
// A nonce is valid iff the proof hash has at least difficulty_bits leading zero bits, counting from the
// most significant bit of byte 0.
public static class PowVerifier
{
    public const int ChallengeHashLength = 32;
    internal const int ProofPreimageLength = ChallengeHashLength + sizeof(ulong);

    // Leading zero bits over the whole span, big-endian bit order (0..8*length).
    public static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        int bits = 0;
        foreach (byte b in hash)
        {
            if (b != 0)
            {
                return bits + BitOperations.LeadingZeroCount((uint)b) - 24;
            }

            bits += 8;
        }

        return bits;
    }

    public static byte[] ProofHash(ReadOnlySpan<byte> challengeHash32, ulong nonce)
    {
        CheckChallengeHash(challengeHash32, nameof(challengeHash32));
        Span<byte> preimage = stackalloc byte[ProofPreimageLength];
        challengeHash32.CopyTo(preimage);
        BinaryPrimitives.WriteUInt64BigEndian(preimage[ChallengeHashLength..], nonce);
        return SHA256.HashData(preimage);
    }

    public static bool Satisfies(ReadOnlySpan<byte> challengeHash32, ulong nonce, int difficultyBits)
    {
        CheckChallengeHash(challengeHash32, nameof(challengeHash32));
        PowChallenge.CheckDifficulty(difficultyBits, nameof(difficultyBits));
        Span<byte> preimage = stackalloc byte[ProofPreimageLength];
        challengeHash32.CopyTo(preimage);
        BinaryPrimitives.WriteUInt64BigEndian(preimage[ChallengeHashLength..], nonce);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(preimage, hash);
        return MeetsDifficulty(hash, difficultyBits);
    }

    // Checks in this order: scheme known, not expired (valid while now <= valid_until), enough work.
    public static PowVerdict Verify(string scheme, PowChallenge challenge, ulong nonce, long nowUnixSeconds)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        if (!PowSchemes.IsKnown(scheme))
        {
            return PowVerdict.UnknownScheme;
        }

        if (nowUnixSeconds > challenge.ValidUntilUnixSeconds)
        {
            return PowVerdict.Expired;
        }

        Span<byte> preimage = stackalloc byte[PowChallenge.PreimageLength];
        challenge.WritePreimage(preimage);
        Span<byte> challengeHash = stackalloc byte[ChallengeHashLength];
        SHA256.HashData(preimage, challengeHash);
        return Satisfies(challengeHash, nonce, challenge.DifficultyBits) ? PowVerdict.Valid : PowVerdict.InsufficientWork;
    }

    // Expected number of proof hashes to find a valid nonce: 2^difficultyBits.
    public static double ExpectedHashes(int difficultyBits) =>
        Math.ScaleB(1.0, PowChallenge.CheckDifficulty(difficultyBits, nameof(difficultyBits)));

    // Difficulty is at most 64, so the first 8 bytes of the hash decide.
    internal static bool MeetsDifficulty(ReadOnlySpan<byte> hash, int difficultyBits) =>
        BitOperations.LeadingZeroCount(BinaryPrimitives.ReadUInt64BigEndian(hash)) >= difficultyBits;

    internal static void CheckChallengeHash(ReadOnlySpan<byte> challengeHash, string name)
    {
        if (challengeHash.Length != ChallengeHashLength)
        {
            throw new ArgumentException(
                $"{name} must be {ChallengeHashLength} bytes, got {challengeHash.Length}.", name);
        }
    }
}
