using System.Security.Cryptography;

namespace SweetGossip.Protocol.Transport;

/// <summary>
/// The running transcript hash h: h0 = SHA-256(protocol name), then h = SHA-256(h ‖ message part)
/// for every part both sides have seen. Keys and signatures are taken over h, so any byte changed
/// in transit makes the two sides' h differ and the handshake fail.
/// </summary>
internal sealed class HandshakeTranscript
{
    private readonly byte[] _hash = SHA256.HashData(LinkProtocol.ProtocolName);

    public ReadOnlySpan<byte> Hash => _hash;

    public void Mix(ReadOnlySpan<byte> data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(_hash);
        sha.AppendData(data);
        sha.GetHashAndReset(_hash);
    }
}
