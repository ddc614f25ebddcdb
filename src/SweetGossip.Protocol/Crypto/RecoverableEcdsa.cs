using System.Security.Cryptography;
using Secp256k1Net;

namespace SweetGossip.Protocol.Crypto;

/// <summary>
/// ECDSA on secp256k1 with public-key recovery, as Lightning uses it (BOLT 11 invoice signatures):
/// deterministic (RFC 6979) low-S signing with a recovery id, SEC 1 §4.1.6 recovery, plain verification.
/// All of it is libsecp256k1's (the same code that made the BOLT 11 examples).
/// </summary>
public static class RecoverableEcdsa
{
    private const int SignatureLength = 64;

    // libsecp256k1's parsed signature objects: 64 bytes plain, 65 with the recovery id.
    private const int ParsedSignatureLength = 64;
    private const int ParsedRecoverableLength = 65;

    /// <summary>Compressed public key of a 32-byte private key.</summary>
    public static byte[] GetPublicKey(byte[] privateKey)
    {
        CheckPrivateKey(privateKey);
        var context = Secp256k1Library.Context;
        Span<byte> point = stackalloc byte[Secp256k1.ParsedKeyLength];
        if (!context.EcPubkeyCreate(point, privateKey))
        {
            throw new ArgumentException("The private key is not in [1, n-1].", nameof(privateKey));
        }

        return Compress(point);
    }

    /// <summary>
    /// Signs a 32-byte hash: RFC 6979 nonce (HMAC-SHA256), S in the lower half of the order (libsecp256k1
    /// only makes those), and the recovery id (0..3) that makes <see cref="Recover"/> return the signer's key.
    /// </summary>
    public static (byte[] Signature64, int RecoveryId) SignRecoverable(byte[] hash32, byte[] privateKey)
    {
        ArgumentNullException.ThrowIfNull(hash32);
        CheckHash(hash32);
        CheckPrivateKey(privateKey);
        var context = Secp256k1Library.Context;
        Span<byte> parsed = stackalloc byte[ParsedRecoverableLength];
        if (!context.EcdsaSignRecoverable(parsed, hash32, privateKey))
        {
            throw new ArgumentException("The private key is not in [1, n-1].", nameof(privateKey));
        }

        var signature = new byte[SignatureLength];
        if (!context.EcdsaRecoverableSignatureSerializeCompact(signature, out var recoveryId, parsed))
        {
            throw new CryptographicException("libsecp256k1 could not serialize its own signature");
        }

        return (signature, recoveryId);
    }

    /// <summary>
    /// SEC 1 §4.1.6 public key recovery from (r, s) and a recovery id. Accepts high-S signatures.
    /// Returns the compressed key, or null when the signature cannot be recovered.
    /// </summary>
    public static byte[]? Recover(byte[] hash32, ReadOnlySpan<byte> signature64, int recoveryId)
    {
        if (recoveryId is < 0 or > 3 || signature64.Length != SignatureLength || hash32 is not { Length: 32 })
        {
            return null;
        }

        var context = Secp256k1Library.Context;
        Span<byte> parsed = stackalloc byte[ParsedRecoverableLength];
        Span<byte> point = stackalloc byte[Secp256k1.ParsedKeyLength];

        // Parsing refuses r or s ≥ n; recovery refuses r or s = 0 and an r with no point for this id.
        return context.EcdsaRecoverableSignatureParseCompact(parsed, signature64, recoveryId)
               && context.EcdsaRecover(point, parsed, hash32)
            ? Compress(point)
            : null;
    }

    /// <summary>Plain ECDSA verification of (r, s) against a compressed public key; high S is accepted too.</summary>
    public static bool Verify(byte[] hash32, ReadOnlySpan<byte> signature64, byte[] publicKey33)
    {
        if (signature64.Length != SignatureLength || hash32 is not { Length: 32 } || !IsValidPublicKey(publicKey33))
        {
            return false;
        }

        var context = Secp256k1Library.Context;
        Span<byte> point = stackalloc byte[Secp256k1.ParsedKeyLength];
        Span<byte> parsed = stackalloc byte[ParsedSignatureLength];
        if (!context.EcPubkeyParse(point, publicKey33) || !context.EcdsaSignatureParseCompact(parsed, signature64))
        {
            return false;
        }

        // libsecp256k1 verifies only lower-S signatures (against malleability); (r, s) and (r, n-s) are
        // both valid ECDSA, and readers that require low S check IsLowS themselves (BOLT 11 does).
        context.EcdsaSignatureNormalize(parsed, parsed);
        return context.EcdsaVerify(parsed, hash32, point);
    }

    /// <summary>Whether S is at most n/2 (the normalised form libsecp256k1 verification requires).</summary>
    public static bool IsLowS(ReadOnlySpan<byte> signature64)
    {
        if (signature64.Length != SignatureLength)
        {
            return false;
        }

        // Normalize reports whether it had to flip S; a signature with r or s ≥ n does not parse and is not low-S.
        var context = Secp256k1Library.Context;
        Span<byte> parsed = stackalloc byte[ParsedSignatureLength];
        return context.EcdsaSignatureParseCompact(parsed, signature64) && !context.EcdsaSignatureNormalize(parsed, parsed);
    }

    /// <summary>Whether <paramref name="publicKey33"/> is a compressed encoding of a point on the curve.</summary>
    public static bool IsValidPublicKey(byte[] publicKey33) => Secp256k1.IsCompressedPoint(publicKey33);

    private static byte[] Compress(ReadOnlySpan<byte> point)
    {
        var compressed = new byte[Secp256k1.CompressedPointLength];
        nuint length = (nuint)compressed.Length;
        if (!Secp256k1Library.Context.EcPubkeySerialize(compressed, ref length, point, Secp256k1EcFlags.Compressed))
        {
            throw new CryptographicException("libsecp256k1 could not serialize a point");
        }

        return compressed;
    }

    private static void CheckHash(byte[] hash32)
    {
        if (hash32.Length != 32)
        {
            throw new ArgumentException("The hash to sign is 32 bytes.", nameof(hash32));
        }
    }

    private static void CheckPrivateKey(byte[] privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.Length != 32)
        {
            throw new ArgumentException("A secp256k1 private key is 32 bytes.", nameof(privateKey));
        }

        if (!Secp256k1Library.Context.EcSeckeyVerify(privateKey))
        {
            throw new ArgumentException("The private key is not in [1, n-1].", nameof(privateKey));
        }
    }
}
