using System.Net;
using Akka.Actor;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Node.Transport.Tcp;

// ---- host ↔ transport

/// <summary>To the transport: answer <see cref="Listening"/> once bound, or <see cref="ListenFailed"/>.</summary>
public sealed record GetListenAddress
{
    public static readonly GetListenAddress Instance = new();
}

/// <summary>The transport accepts peers at <paramref name="EndPoint"/> (the real port when 0 was asked for).</summary>
public sealed record Listening(IPEndPoint EndPoint)
{
    public string Address => EndPoint.ToString();
}

public sealed record ListenFailed(string Reason);

/// <summary>To the transport: answer <see cref="InboundCounts"/>.</summary>
public sealed record GetInboundCounts
{
    public static readonly GetInboundCounts Instance = new();
}

/// <summary>Inbound connections now: in the handshake, all of them, and both per address prefix (for status and tests).</summary>
public sealed record InboundCounts(int Handshakes, int Connections, IReadOnlyDictionary<IPNetwork, PrefixInbound> ByPrefix)
{
    public static readonly InboundCounts None = new(0, 0, new Dictionary<IPNetwork, PrefixInbound>());

    public PrefixInbound Of(IPNetwork prefix) => ByPrefix.GetValueOrDefault(prefix) ?? new PrefixInbound(0, 0);

    /// <param name="prefix">e.g. <c>203.0.113.0/24</c></param>
    public PrefixInbound Of(string prefix) => Of(IPNetwork.Parse(prefix));
}

/// <summary>One address prefix's inbound connections, and how many of them are still in the handshake.</summary>
public sealed record PrefixInbound(int Connections, int Handshakes);

/// <summary>To the transport: every link it holds answers the sender with its <see cref="RecordBuffer"/> (for status and tests).</summary>
public sealed record GetRecordBuffers
{
    public static readonly GetRecordBuffers Instance = new();
}

/// <summary>What one link holds of a record not yet complete: bytes arrived, and bytes allocated for them.</summary>
public sealed record RecordBuffer(string Link, int PendingBytes, int AllocatedBytes);

// ---- transport ↔ its links

/// <summary>Link → transport: the handshake proved the peer's identity; make its PeerConnection.</summary>
internal sealed record LinkAuthenticated(PublicKey Peer);

/// <summary>Transport → link: frames from now on go to this connection.</summary>
internal sealed record AttachConnection(IActorRef Connection);

/// <summary>Link → transport, as the link stops: why it ended.</summary>
internal sealed record LinkEnded(string Reason);

/// <summary>Ask a TCP transport how many peers it holds a link to (answered with <see cref="PeerLinks"/>).</summary>
public sealed record GetPeerLinks
{
    public static readonly GetPeerLinks Instance = new();
}

/// <param name="Peers">Peers with an authenticated link (one each).</param>
/// <param name="Dials">Outbound links open or being opened.</param>
/// <param name="Parked">Static dials set aside because the peer's own link to us was kept.</param>
public sealed record PeerLinks(int Peers, int Dials, int Parked);
