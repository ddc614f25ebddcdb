using SweetGossip.Protocol.Primitives;
using System.Security.Cryptography;

namespace SweetGossip.Protocol.Crypto;

/// <summary>BIP-340 Schnorr signatures over secp256k1 with x-only public keys and 32-byte messages (libsecp256k1).</summary>
public static class Schnorr
{
    public const int SignatureLength = 64;
    private const int MessageLength = 32;
    private const int AuxLength = 32;

    /// <summary>
    /// Signs with fresh auxiliary data (hedges the nonce against bad randomness and faults). The data
    /// comes from <see cref="FreshRandomness"/>, so a seeded simulation gets the same signatures every run.
    /// </summary>
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

        // libsecp256k1 follows BIP-340's default signing exactly: same key, message and aux, same bytes.
        var signature = new byte[SignatureLength];
        if (!Secp256k1Library.Context.SchnorrsigSign32(signature, message32, key.Keypair, auxRand32))
        {
            throw new CryptographicException("libsecp256k1 refused to make a BIP-340 signature");
        }

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

        return Secp256k1Library.Context.SchnorrsigVerify(signature, message32, key.XOnly);
    }

    /// <summary>Verification against raw key bytes; false if they are not a valid x-only key.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey32, ReadOnlySpan<byte> message32, ReadOnlySpan<byte> signature)
    {
        // Cheap length checks first so malformed input never pays for parsing the key.
        if (message32.Length != MessageLength || signature.Length != SignatureLength)
        {
            return false;
        }

        return PublicKey.TryFromBytes(publicKey32, out var key) && Verify(key, message32, signature);
    }
}
