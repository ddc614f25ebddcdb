using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SweetGossip.Protocol.Pow;

// What a "sha256" proof of work is bound to. The challenge hash is
//   SHA-256( "SweetGossip/pow/sha256/v1" (25 ASCII bytes)
//            || favour_id (16) || payload_hash (32) || issuer_public_key (32, x-only)
//            || difficulty_bits (1) || valid_until (8, big-endian two's complement unix seconds) )
// = 114 bytes in, 32 bytes out, computed once per proof. Because it commits to the favour, the payload and
// the issuer, a nonce found for one of them is worthless for any other.
//
// The verifier must build this from its own record of the conditions it issued (looked up by favour id),
// never from values the prover sends back; keeping favour ids single-use is the verifier's job too.
//
// Arrays are copied on the way in, so later changes to the caller's arrays don't affect the challenge;
// equality compares contents.
public sealed record PowChallenge(
    byte[] FavourId,
    byte[] PayloadHash,
    byte[] IssuerPublicKey,
    int DifficultyBits,
    long ValidUntilUnixSeconds)
{
    public const int FavourIdLength = 16;
    public const int PayloadHashLength = 32;
    public const int IssuerPublicKeyLength = 32;
    public const int MaxDifficultyBits = 64;

    internal static ReadOnlySpan<byte> Domain => "SweetGossip/pow/sha256/v1"u8;

    internal const int PreimageLength = 25 + FavourIdLength + PayloadHashLength + IssuerPublicKeyLength + 1 + 8;

    private readonly byte[] _favourId = CopyChecked(FavourId, FavourIdLength, nameof(FavourId));
    private readonly byte[] _payloadHash = CopyChecked(PayloadHash, PayloadHashLength, nameof(PayloadHash));
    private readonly byte[] _issuerPublicKey = CopyChecked(IssuerPublicKey, IssuerPublicKeyLength, nameof(IssuerPublicKey));
    private readonly int _difficultyBits = CheckDifficulty(DifficultyBits, nameof(DifficultyBits));

    // The setters validate too, so `with { ... }` can't produce an invalid challenge.
    public byte[] FavourId
    {
        get => _favourId;
        init => _favourId = CopyChecked(value, FavourIdLength, nameof(FavourId));
    }

    public byte[] PayloadHash
    {
        get => _payloadHash;
        init => _payloadHash = CopyChecked(value, PayloadHashLength, nameof(PayloadHash));
    }

    public byte[] IssuerPublicKey
    {
        get => _issuerPublicKey;
        init => _issuerPublicKey = CopyChecked(value, IssuerPublicKeyLength, nameof(IssuerPublicKey));
    }

    public int DifficultyBits
    {
        get => _difficultyBits;
        init => _difficultyBits = CheckDifficulty(value, nameof(DifficultyBits));
    }

    public long ValidUntilUnixSeconds { get; init; } = ValidUntilUnixSeconds;

    // Same as the constructor; reads better at call sites that build from wire fields.
    public static PowChallenge Create(
        byte[] favourId, byte[] payloadHash, byte[] issuerPublicKey, int difficultyBits, long validUntilUnixSeconds) =>
        new(favourId, payloadHash, issuerPublicKey, difficultyBits, validUntilUnixSeconds);

    public byte[] ComputeChallengeHash()
    {
        Span<byte> preimage = stackalloc byte[PreimageLength];
        WritePreimage(preimage);
        return SHA256.HashData(preimage);
    }

    internal void WritePreimage(Span<byte> preimage)
    {
        int at = 0;
        Domain.CopyTo(preimage);
        at += Domain.Length;
        _favourId.CopyTo(preimage[at..]);
        at += FavourIdLength;
        _payloadHash.CopyTo(preimage[at..]);
        at += PayloadHashLength;
        _issuerPublicKey.CopyTo(preimage[at..]);
        at += IssuerPublicKeyLength;
        preimage[at] = (byte)_difficultyBits;
        at += 1;
        BinaryPrimitives.WriteInt64BigEndian(preimage[at..], ValidUntilUnixSeconds);
    }

    public bool Equals(PowChallenge? other) =>
        other is not null
        && _favourId.AsSpan().SequenceEqual(other._favourId)
        && _payloadHash.AsSpan().SequenceEqual(other._payloadHash)
        && _issuerPublicKey.AsSpan().SequenceEqual(other._issuerPublicKey)
        && _difficultyBits == other._difficultyBits
        && ValidUntilUnixSeconds == other.ValidUntilUnixSeconds;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_favourId);
        hash.AddBytes(_payloadHash);
        hash.AddBytes(_issuerPublicKey);
        hash.Add(_difficultyBits);
        hash.Add(ValidUntilUnixSeconds);
        return hash.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("FavourId = ").Append(Convert.ToHexStringLower(_favourId))
            .Append(", PayloadHash = ").Append(Convert.ToHexStringLower(_payloadHash))
            .Append(", IssuerPublicKey = ").Append(Convert.ToHexStringLower(_issuerPublicKey))
            .Append(", DifficultyBits = ").Append(_difficultyBits)
            .Append(", ValidUntilUnixSeconds = ").Append(ValidUntilUnixSeconds);
        return true;
    }

    private static byte[] CopyChecked(byte[] value, int length, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length != length)
        {
            throw new ArgumentException($"{name} must be {length} bytes, got {value.Length}.", name);
        }

        return (byte[])value.Clone();
    }

    internal static int CheckDifficulty(int difficultyBits, string name)
    {
        if (difficultyBits is < 0 or > MaxDifficultyBits)
        {
            throw new ArgumentException($"{name} must be 0..{MaxDifficultyBits}, got {difficultyBits}.", name);
        }

        return difficultyBits;
    }
}
