using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Transport.Tcp;

/// <summary>
/// How the TCP transport listens, dials, and keeps its links honest (<c>sweetgossip.node.transport</c>). Every value is
/// required: the defaults are reference.conf's only, read by <see cref="Hosting.NodeSettingsLoader"/>; code that wants
/// them starts from <see cref="Hosting.NodeDefaults.Transport"/>.
/// </summary>
public sealed record TcpTransportSettings
{
    /// <summary>Where to listen, <c>ip:port</c>; port 0 picks a free one (tests).</summary>
    public required string Listen { get; init; }

    /// <summary>A peer that has not completed the handshake by then is dropped (a slow or stalled peer holds nothing for long).</summary>
    public required TimeSpan HandshakeTimeout { get; init; }

    public required TimeSpan ConnectTimeout { get; init; }

    /// <summary>An empty record is sent when nothing else was sent for this long, so the peer's idle timer never fires on a healthy link.</summary>
    public required TimeSpan KeepaliveInterval { get; init; }

    /// <summary>A link on which nothing arrives for this long (not even a keepalive) is dead: close it.</summary>
    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>
    /// A record whose first byte has arrived must be complete within this long, or the link is closed: a peer
    /// trickling a record byte by byte holds its buffer (and its idle timer, which only complete records reset) no longer.
    /// </summary>
    public required TimeSpan RecordDeadline { get; init; }

    /// <summary>Records queued while a TCP write is pending; a peer that reads slower than we send is dropped past this.</summary>
    public required int OutboxLimit { get; init; }

    /// <summary>Bytes of records queued while a TCP write is pending; past this the link is closed, as past <see cref="OutboxLimit"/>.</summary>
    public required int OutboxMaxBytes { get; init; }

    public required TimeSpan ReconnectMinBackoff { get; init; }

    public required TimeSpan ReconnectMaxBackoff { get; init; }

    /// <summary>Inbound IPv4 peers are counted by this prefix of their address (24: one /24 is one prefix; 32: per address).</summary>
    public required int Ipv4PrefixLength { get; init; }

    /// <summary>Inbound IPv6 peers are counted by this prefix of their address (64: one /64, the usual single site, is one prefix).</summary>
    public required int Ipv6PrefixLength { get; init; }

    /// <summary>Inbound connections from one address prefix at once (handshaking or linked); one more is closed at once.</summary>
    public required int MaxInboundPerPrefix { get; init; }

    /// <summary>Inbound connections from one address prefix still in the handshake at once; one more is closed at once.</summary>
    public required int MaxHandshakesPerPrefix { get; init; }

    /// <summary>Inbound connections at once from all addresses together (handshaking or linked); one more is closed at once.</summary>
    public required int MaxInbound { get; init; }

    /// <summary>Inbound connections still in the handshake at once, from all addresses together; one more is closed at once.</summary>
    public required int MaxHandshakes { get; init; }

    /// <summary>The largest record on the wire (length prefix, one full frame, tag): the outbox must take at least one.</summary>
    public const int MaxWireRecordBytes = LengthPrefix.HeaderBytes + LinkProtocol.MaxRecordBytes;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that makes no sense.</summary>
    public TcpTransportSettings Validated()
    {
        Positive(HandshakeTimeout, nameof(HandshakeTimeout));
        Positive(ConnectTimeout, nameof(ConnectTimeout));
        Positive(KeepaliveInterval, nameof(KeepaliveInterval));
        Positive(ReconnectMinBackoff, nameof(ReconnectMinBackoff));
        if (IdleTimeout <= KeepaliveInterval)
            throw new ArgumentException($"IdleTimeout ({IdleTimeout}) must be longer than KeepaliveInterval ({KeepaliveInterval}), or healthy idle links are closed");
        if (ReconnectMaxBackoff < ReconnectMinBackoff)
            throw new ArgumentException("ReconnectMaxBackoff must be at least ReconnectMinBackoff");
        Positive(RecordDeadline, nameof(RecordDeadline));
        if (OutboxLimit < 1)
            throw new ArgumentException("OutboxLimit must be at least 1");
        if (OutboxMaxBytes < MaxWireRecordBytes)
            throw new ArgumentException($"OutboxMaxBytes ({OutboxMaxBytes}) must hold at least one record of the largest size ({MaxWireRecordBytes} bytes)");
        if (Ipv4PrefixLength is < 1 or > 32)
            throw new ArgumentException($"Ipv4PrefixLength must be 1..32 (got {Ipv4PrefixLength})");
        if (Ipv6PrefixLength is < 1 or > 128)
            throw new ArgumentException($"Ipv6PrefixLength must be 1..128 (got {Ipv6PrefixLength})");
        AtLeastOne(MaxInboundPerPrefix, nameof(MaxInboundPerPrefix));
        AtLeastOne(MaxHandshakesPerPrefix, nameof(MaxHandshakesPerPrefix));
        AtLeastOne(MaxInbound, nameof(MaxInbound));
        AtLeastOne(MaxHandshakes, nameof(MaxHandshakes));
        // A handshake in progress is an inbound connection, and a prefix's share is part of the whole.
        AtMost(MaxHandshakesPerPrefix, nameof(MaxHandshakesPerPrefix), MaxInboundPerPrefix, nameof(MaxInboundPerPrefix));
        AtMost(MaxHandshakesPerPrefix, nameof(MaxHandshakesPerPrefix), MaxHandshakes, nameof(MaxHandshakes));
        AtMost(MaxInboundPerPrefix, nameof(MaxInboundPerPrefix), MaxInbound, nameof(MaxInbound));
        AtMost(MaxHandshakes, nameof(MaxHandshakes), MaxInbound, nameof(MaxInbound));
        return this;
    }

    private static void AtMost(int value, string name, int cap, string capName)
    {
        if (value > cap) throw new ArgumentException($"{name} ({value}) cannot exceed {capName} ({cap})");
    }

    private static void AtLeastOne(int value, string name)
    {
        if (value < 1) throw new ArgumentException($"{name} must be at least 1 (got {value})");
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentException($"{name} must be positive (got {value})");
    }
}
