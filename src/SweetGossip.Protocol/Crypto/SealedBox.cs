using SweetGossip.Protocol.Primitives;
using System.Security.Cryptography;

namespace SweetGossip.Protocol.Crypto;

/// <summary>
/// Anonymous public-key encryption: anyone can seal to a recipient's x-only key; only the recipient
/// (plus, optionally, whoever knows extraSecret) can open. Layout:
/// ephemeral x-only public key (32) || nonce (12) || ciphertext || Poly1305 tag (16).
/// </summary>
/// <remarks>
/// extraSecret is mixed into the key derivation for pay-to-reveal: a reply sealed with a payment
/// preimage as extraSecret cannot be opened until the payment reveals the preimage.
/// </remarks>
public static class SealedBox
{
    public const int Overhead = EphemeralKeyLength + NonceLength + TagLength;

    private const int EphemeralKeyLength = PublicKey.Length;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int KeyLength = 32;
    private const int HeaderLength = EphemeralKeyLength + NonceLength;

    // Versioned so a future change of KDF or cipher cannot be confused with this one.
    private static ReadOnlySpan<byte> Info => "SweetGossip/sealed-box/v1"u8;

    private const string AuthenticationFailed = "sealed box failed authentication (wrong key, wrong secret or tampered)";

    public static byte[] Seal(
        PublicKey recipient,
        ReadOnlySpan<byte> plaintext,
        ReadOnlySpan<byte> associatedData,
        ReadOnlySpan<byte> extraSecret = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);

        // A fresh ephemeral key per box: the sender stays anonymous and each box gets its own AEAD key.
        var ephemeral = PrivateKey.Generate();
        var output = new byte[Overhead + plaintext.Length];
        var ephemeralPublic = output.AsSpan(0, EphemeralKeyLength);
        ephemeral.PublicKey.Span.CopyTo(ephemeralPublic);
        var nonce = output.AsSpan(EphemeralKeyLength, NonceLength);
        FreshRandomness.Fill(nonce);

        Span<byte> key = stackalloc byte[KeyLength];
        try
        {
            DeriveKey(Ecdh.SharedSecret(ephemeral, recipient), extraSecret, ephemeralPublic, recipient.Span, key);
            using var aead = new ChaCha20Poly1305(key);
            aead.Encrypt(
                nonce,
                plaintext,
                output.AsSpan(HeaderLength, plaintext.Length),
                output.AsSpan(HeaderLength + plaintext.Length, TagLength),
                associatedData);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return output;
    }

    public static byte[] Open(
        PrivateKey recipient,
        ReadOnlySpan<byte> sealedBox,
        ReadOnlySpan<byte> associatedData,
        ReadOnlySpan<byte> extraSecret = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (sealedBox.Length < Overhead)
        {
            throw new CryptoFormatException("sealed box is too short");
        }

        var ephemeralPublic = sealedBox[..EphemeralKeyLength];

        // An ephemeral key off the curve can only come from tampering; report it like any other forgery
        // so the error does not tell an attacker which part of the box they broke.
        if (!PublicKey.TryFromBytes(ephemeralPublic, out var ephemeral))
        {
            throw new CryptoFormatException(AuthenticationFailed);
        }

        var nonce = sealedBox.Slice(EphemeralKeyLength, NonceLength);
        var ciphertextLength = sealedBox.Length - Overhead;
        var ciphertext = sealedBox.Slice(HeaderLength, ciphertextLength);
        var tag = sealedBox.Slice(HeaderLength + ciphertextLength, TagLength);
        var plaintext = new byte[ciphertextLength];

        Span<byte> key = stackalloc byte[KeyLength];
        try
        {
            DeriveKey(Ecdh.SharedSecret(recipient, ephemeral), extraSecret, ephemeralPublic, recipient.PublicKey.Span, key);
            using var aead = new ChaCha20Poly1305(key);
            aead.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CryptoFormatException(AuthenticationFailed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return plaintext;
    }

    // HKDF-SHA256(ikm = shared x || extraSecret, salt = ephemeral || recipient, info).
    // Binding both public keys in the salt ties the key to this exact pair of parties.
    private static void DeriveKey(
        byte[] sharedX,
        ReadOnlySpan<byte> extraSecret,
        ReadOnlySpan<byte> ephemeralPublic,
        ReadOnlySpan<byte> recipientPublic,
        Span<byte> key)
    {
        var ikm = new byte[sharedX.Length + extraSecret.Length];
        Span<byte> salt = stackalloc byte[EphemeralKeyLength + PublicKey.Length];
        try
        {
            sharedX.CopyTo(ikm, 0);
            extraSecret.CopyTo(ikm.AsSpan(sharedX.Length));
            ephemeralPublic.CopyTo(salt);
            recipientPublic.CopyTo(salt[EphemeralKeyLength..]);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, key, salt, Info);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
            CryptographicOperations.ZeroMemory(sharedX);
        }
    }
}
