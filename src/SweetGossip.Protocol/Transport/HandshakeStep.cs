using System.Diagnostics.CodeAnalysis;

namespace SweetGossip.Protocol.Transport;

/// <summary>What one <see cref="LinkHandshake.Receive"/> call produced.</summary>
public sealed class HandshakeStep
{
    internal HandshakeStep(byte[] toSend, SecureLink? link, byte[] transportBytes)
    {
        ToSend = toSend;
        Link = link;
        TransportBytes = transportBytes;
    }

    /// <summary>Bytes to write to the peer, already length-prefixed; empty if there is nothing to send.</summary>
    public byte[] ToSend { get; }

    /// <summary>The established link once the handshake is complete (send <see cref="ToSend"/> first), else null.</summary>
    public SecureLink? Link { get; }

    /// <summary>
    /// Bytes that followed the last handshake message in the same chunk. They belong to the transport
    /// phase (the initiator may send records right after act3): pass them to <see cref="SecureLink.Open"/>.
    /// </summary>
    public byte[] TransportBytes { get; }

    [MemberNotNullWhen(true, nameof(Link))]
    public bool IsComplete => Link is not null;
}
