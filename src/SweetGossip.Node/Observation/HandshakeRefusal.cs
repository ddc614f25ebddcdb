namespace SweetGossip.Node.Observation;

/// <summary>Why a connection was refused before or at its handshake.</summary>
public enum HandshakeRefusal
{
    /// <summary>An inbound cap (per address prefix or overall) was full: refused before any byte was read.</summary>
    Limit,

    /// <summary>The address prefix or the proven identity is banned by the score book.</summary>
    Banned,

    /// <summary>The handshake itself failed (bad bytes, wrong identity).</summary>
    Invalid,

    /// <summary>The handshake did not finish within transport.handshake-timeout.</summary>
    Timeout,
}
