namespace SweetGossip.Node.Transport.Tcp;

/// <summary>How the TCP transport listens, dials, and keeps its links honest.</summary>
public sealed record TcpTransportSettings
{
    /// <summary>Where to listen, <c>ip:port</c>; port 0 picks a free one (tests).</summary>
    public string Listen { get; init; } = "127.0.0.1:9735";

    /// <summary>A peer that has not completed the handshake by then is dropped (a slow or stalled peer holds nothing for long).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An empty record is sent when nothing else was sent for this long, so the peer's idle timer never fires on a healthy link.</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A link on which nothing arrives for this long (not even a keepalive) is dead: close it.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Frames queued while a TCP write is pending; a peer that reads slower than we send is dropped past this.</summary>
    public int OutboxLimit { get; init; } = 256;

    public TimeSpan ReconnectMinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Inbound connections from one remote IP at once (handshaking or linked); one more is closed at once.</summary>
    public int MaxInboundPerIp { get; init; } = 16;

    /// <summary>Inbound connections from one remote IP still in the handshake at once; one more is closed at once.</summary>
    public int MaxHandshakesPerIp { get; init; } = 4;

    /// <summary>Inbound connections still in the handshake at once, from all IPs together; one more is closed at once.</summary>
    public int MaxHandshakes { get; init; } = 64;

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
        if (OutboxLimit < 1)
            throw new ArgumentException("OutboxLimit must be at least 1");
        AtLeastOne(MaxInboundPerIp, nameof(MaxInboundPerIp));
        AtLeastOne(MaxHandshakesPerIp, nameof(MaxHandshakesPerIp));
        AtLeastOne(MaxHandshakes, nameof(MaxHandshakes));
        if (MaxHandshakesPerIp > MaxInboundPerIp)
            throw new ArgumentException($"MaxHandshakesPerIp ({MaxHandshakesPerIp}) cannot exceed MaxInboundPerIp ({MaxInboundPerIp}): a handshake is an inbound connection");
        if (MaxHandshakesPerIp > MaxHandshakes)
            throw new ArgumentException($"MaxHandshakesPerIp ({MaxHandshakesPerIp}) cannot exceed MaxHandshakes ({MaxHandshakes}), the cap over all IPs");
        return this;
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
