using System.Security.Cryptography;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Transport;

/// <summary>
/// The encrypted part of act2 and act3: identity public key (32) ‖ BIP-340 signature (64) by that
/// identity over TaggedHash(role tag, h), sealed with k_hs and AD = h. The signature proves the
/// identity holder saw this exact transcript (both ephemerals); encryption hides the identity
/// from anyone who did not take part in the ephemeral exchange.
/// </summary>
internal sealed class IdentityProof
{
    private IdentityProof(PublicKey identity, byte[] signature)
    {
        Identity = identity;
        Signature = signature;
    }

    public PublicKey Identity { get; }

    private byte[] Signature { get; }

    /// <summary>
    /// Signs and seals. BIP-340's aux_rand is the ephemeral secret: fresh per connection, so the
    /// nonce is still hedged, yet fixed keys reproduce identical bytes for test vectors.
    /// </summary>
    public static byte[] Seal(LinkCipher cipher, PrivateKey identity, PrivateKey ephemeral, string signatureTag, ReadOnlySpan<byte> transcriptHash)
    {
        var plaintext = new byte[LinkProtocol.IdentityProofBytes];
        var aux = ephemeral.ToBytes();
        try
        {
            identity.PublicKey.Span.CopyTo(plaintext);
            var signature = Schnorr.Sign(identity, TaggedHash.Compute(signatureTag, transcriptHash), aux);
            signature.CopyTo(plaintext, PublicKey.Length);
            var sealedBytes = new byte[LinkProtocol.SealedIdentityProofBytes];
            cipher.Seal(plaintext, transcriptHash, sealedBytes);
            return sealedBytes;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aux);
        }
    }

    /// <summary>Decrypts and parses; the signature is checked separately by <see cref="Verify"/>, after the cheap checks.</summary>
    public static IdentityProof Open(LinkCipher cipher, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> transcriptHash, string act, string identityField)
    {
        var plaintext = new byte[LinkProtocol.IdentityProofBytes];
        if (!cipher.TryOpen(sealedBytes, transcriptHash, plaintext))
            throw new LinkHandshakeException(act, "payload", "failed authentication (tampered, or not sealed for our ephemeral key and transcript)");
        if (!PublicKey.TryFromBytes(plaintext.AsSpan(0, PublicKey.Length), out var identity))
            throw new LinkHandshakeException(act, identityField, "is not a valid x-only secp256k1 public key");
        return new IdentityProof(identity, plaintext[PublicKey.Length..]);
    }

    public void Verify(string signatureTag, ReadOnlySpan<byte> transcriptHash, string act, string signatureField)
    {
        if (!Schnorr.Verify(Identity, TaggedHash.Compute(signatureTag, transcriptHash), Signature))
            throw new LinkHandshakeException(act, signatureField, "does not verify over the transcript (wrong key or a man in the middle)");
    }
}
