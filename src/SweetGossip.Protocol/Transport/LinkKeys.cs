using System.Security.Cryptography;

namespace SweetGossip.Protocol.Transport;

/// <summary>
/// HKDF-SHA256 from the ephemeral ECDH secret, salted with the transcript hash at the point of use:
/// the keys depend on every handshake byte so far, not just on the secret.
/// </summary>
internal static class LinkKeys
{
    /// <summary>k_hs = HKDF(ikm = ECDH(e_I, e_R), salt = h, info = "handshake", 32 bytes).</summary>
    public static byte[] Handshake(ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> transcriptHash)
    {
        var key = new byte[LinkProtocol.KeyBytes];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, key, transcriptHash, LinkProtocol.HandshakeKeyInfo);
        return key;
    }

    /// <summary>
    /// HKDF(ikm = ECDH(e_I, e_R), salt = final h, info = "transport", 64 bytes): the first 32 bytes key
    /// initiator→responder, the last 32 responder→initiator. Separate keys per direction mean a record
    /// reflected back to its sender never authenticates.
    /// </summary>
    public static (byte[] InitiatorToResponder, byte[] ResponderToInitiator) Transport(
        ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> transcriptHash)
    {
        Span<byte> both = stackalloc byte[2 * LinkProtocol.KeyBytes];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, both, transcriptHash, LinkProtocol.TransportKeyInfo);
            return (both[..LinkProtocol.KeyBytes].ToArray(), both[LinkProtocol.KeyBytes..].ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(both);
        }
    }
}
