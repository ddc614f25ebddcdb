using SweetGossip.Protocol.Primitives;
using System.Security.Cryptography;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace SweetGossip.Protocol.Crypto;

/// <summary>BIP-340 Schnorr signatures over secp256k1 with x-only public keys and 32-byte messages.</summary>
public static class Schnorr
{
    public const int SignatureLength = 64;
    private const int MessageLength = 32;
    private const int AuxLength = 32;

    // The three BIP-340 tags are hashed once rather than on every signature.
    private static readonly byte[] AuxTag = TaggedHash.HashTag("BIP0340/aux");
    private static readonly byte[] NonceTag = TaggedHash.HashTag("BIP0340/nonce");
    private static readonly byte[] ChallengeTag = TaggedHash.HashTag("BIP0340/challenge");

    /// <summary>Signs with fresh random auxiliary data (hedges the nonce against bad randomness and faults).</summary>
    public static byte[] Sign(PrivateKey key, ReadOnlySpan<byte> message32)
    {
        Span<byte> aux = stackalloc byte[AuxLength];
        FreshRandomness.Fill(aux);
        return Sign(key, message32, aux);
    }

    /// <summary>BIP-340 signing; deterministic for a given auxRand32 (used by the test vectors).</summary>
    public static byte[] Sign(PrivateKey key, ReadOnlySpan<byte> message32, ReadOnlySpan<byte> auxRand32)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (message32.Length != MessageLength)
        {
            throw new ArgumentException($"message must be {MessageLength} bytes, got {message32.Length}", nameof(message32));
        }

        if (auxRand32.Length != AuxLength)
        {
            throw new ArgumentException($"aux_rand must be {AuxLength} bytes, got {auxRand32.Length}", nameof(auxRand32));
        }

        var d = key.EvenYScalar;
        var publicKey = key.PublicKey.Span;

        // t = bytes(d) xor hash_aux(a); rand = hash_nonce(t || bytes(P) || m).
        Span<byte> t = stackalloc byte[Secp256k1.ScalarLength];
        Span<byte> auxHash = stackalloc byte[TaggedHash.Length];
        Span<byte> rand = stackalloc byte[TaggedHash.Length];
        BigInteger k0;
        try
        {
            Secp256k1.WriteScalar(d, t);
            TaggedHash.Compute(AuxTag, auxRand32, default, default, auxHash);
            for (var i = 0; i < t.Length; i++)
            {
                t[i] ^= auxHash[i];
            }

            TaggedHash.Compute(NonceTag, t, publicKey, message32, rand);
            k0 = Secp256k1.ToInteger(rand).Mod(Secp256k1.N);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(t);
            CryptographicOperations.ZeroMemory(rand);
        }

        if (k0.SignValue == 0)
        {
            // Probability ~2^-256; BIP-340 says to fail rather than use a zero nonce.
            throw new CryptographicException("BIP-340 nonce is zero");
        }

        var r = Secp256k1.MultiplyG(k0);
        var k = Secp256k1.HasEvenY(r) ? k0 : Secp256k1.N.Subtract(k0);

        var signature = new byte[SignatureLength];
        Secp256k1.WriteX(r, signature);
        var e = Challenge(signature.AsSpan(0, 32), publicKey, message32);
        var s = k.Add(e.Multiply(d)).Mod(Secp256k1.N);
        Secp256k1.WriteScalar(s, signature.AsSpan(32));

        // BIP-340 verifies before releasing: a computation fault could otherwise leak the key.
        if (!Verify(key.PublicKey, message32, signature))
        {
            throw new CryptographicException("BIP-340 signature failed its own verification");
        }

        return signature;
    }

    /// <summary>BIP-340 verification. Returns false, never throws, for any malformed input.</summary>
    public static bool Verify(PublicKey key, ReadOnlySpan<byte> message32, ReadOnlySpan<byte> signature)
    {
        if (key is null || message32.Length != MessageLength || signature.Length != SignatureLength)
        {
            return false;
        }

        return VerifyPoint(key.Point, key.Span, message32, signature);
    }

    /// <summary>Verification against raw key bytes; false if they are not a valid x-only key.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey32, ReadOnlySpan<byte> message32, ReadOnlySpan<byte> signature)
    {
        // Cheap length checks first so malformed input never pays for lift_x.
        if (message32.Length != MessageLength || signature.Length != SignatureLength)
        {
            return false;
        }

        var point = Secp256k1.LiftX(publicKey32);
        return point is not null && VerifyPoint(point, publicKey32, message32, signature);
    }

    private static bool VerifyPoint(ECPoint publicPoint, ReadOnlySpan<byte> publicKey32, ReadOnlySpan<byte> message32, ReadOnlySpan<byte> signature)
    {
        var rBytes = signature[..32];
        var r = Secp256k1.ToInteger(rBytes);
        if (r.CompareTo(Secp256k1.P) >= 0)
        {
            return false;
        }

        var s = Secp256k1.ToInteger(signature[32..]);
        if (s.CompareTo(Secp256k1.N) >= 0)
        {
            return false;
        }

        // R = s·G - e·P in one interleaved (Shamir/GLV) multiplication.
        var e = Challenge(rBytes, publicKey32, message32);
        var point = ECAlgorithms.SumOfTwoMultiplies(Secp256k1.G, s, publicPoint.Negate(), e).Normalize();
        if (point.IsInfinity || !Secp256k1.HasEvenY(point))
        {
            return false;
        }

        Span<byte> x = stackalloc byte[Secp256k1.CoordinateLength];
        Secp256k1.WriteX(point, x);
        return x.SequenceEqual(rBytes);
    }

    // e = int(hash_challenge(bytes(R) || bytes(P) || m)) mod n.
    private static BigInteger Challenge(ReadOnlySpan<byte> r, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message)
    {
        Span<byte> hash = stackalloc byte[TaggedHash.Length];
        TaggedHash.Compute(ChallengeTag, r, publicKey, message, hash);
        return Secp256k1.ToInteger(hash).Mod(Secp256k1.N);
    }
}
