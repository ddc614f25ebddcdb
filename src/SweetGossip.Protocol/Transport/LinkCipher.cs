using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SweetGossip.Protocol.Transport;

/// <summary>
/// ChaCha20-Poly1305 under one key with a message counter as nonce: 4 zero bytes ‖ counter (8, big-endian).
/// The counter advances with every message and never wraps, so a nonce is never reused under a key, and
/// a replayed, reordered or dropped message is opened with the wrong nonce and fails authentication.
/// Not thread-safe.
/// </summary>
internal sealed class LinkCipher : IDisposable
{
    private readonly ChaCha20Poly1305 _aead;
    private ulong _counter;

    public LinkCipher(ReadOnlySpan<byte> key, ulong counter = 0)
    {
        _aead = new ChaCha20Poly1305(key);
        _counter = counter;
    }

    /// <summary>The last counter value is never used: stopping one short keeps "exhausted" a plain comparison.</summary>
    public bool Exhausted => _counter == ulong.MaxValue;

    /// <summary>Writes ciphertext ‖ tag (plaintext length + 16 bytes) into <paramref name="output"/>.</summary>
    public void Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> output)
    {
        if (Exhausted)
            throw new InvalidOperationException("send counter exhausted; close the link");
        Span<byte> nonce = stackalloc byte[LinkProtocol.NonceBytes];
        WriteNonce(_counter, nonce);
        _aead.Encrypt(nonce, plaintext, output[..plaintext.Length], output.Slice(plaintext.Length, LinkProtocol.TagBytes), associatedData);
        _counter++;
    }

    /// <summary>Opens ciphertext ‖ tag; false (counter unchanged) if it does not authenticate.</summary>
    public bool TryOpen(ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        if (Exhausted)
            throw new InvalidOperationException("receive counter exhausted; check Exhausted first");
        var ciphertextLength = sealedBytes.Length - LinkProtocol.TagBytes;
        Span<byte> nonce = stackalloc byte[LinkProtocol.NonceBytes];
        WriteNonce(_counter, nonce);
        try
        {
            _aead.Decrypt(nonce, sealedBytes[..ciphertextLength], sealedBytes[ciphertextLength..], plaintext[..ciphertextLength], associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        _counter++;
        return true;
    }

    public void Dispose() => _aead.Dispose();

    private static void WriteNonce(ulong counter, Span<byte> nonce)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], counter);
    }
}
