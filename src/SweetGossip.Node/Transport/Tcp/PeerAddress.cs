using System.Globalization;
using System.Net;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Node.Transport.Tcp;

/// <summary>
/// Where a peer listens: <c>host:port</c>, <c>[ipv6]:port</c>, optionally prefixed by the peer's identity
/// (<c>&lt;64 hex&gt;@host:port</c>) so that the handshake refuses anyone else before we reveal ourselves.
/// </summary>
public sealed record PeerAddress(string Text, string Host, int Port, PublicKey? ExpectedIdentity)
{
    /// <summary>An IP endpoint when the host is an IP literal, else a DNS name resolved when dialling.</summary>
    public EndPoint EndPoint => IPAddress.TryParse(Host, out var ip) ? new IPEndPoint(ip, Port) : new DnsEndPoint(Host, Port);

    public static bool TryParse(string? text, out PeerAddress address, out string error)
    {
        address = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty address";
            return false;
        }
        var rest = text.Trim();
        PublicKey? identity = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!TryParseKey(rest[..at], out identity))
            {
                error = $"'{text}': the part before '@' must be a peer identity (64 hex digits)";
                return false;
            }
            rest = rest[(at + 1)..];
        }
        if (!TrySplitHostPort(rest, out var host, out var port))
        {
            error = $"'{text}': expected host:port (port 0..65535)";
            return false;
        }
        address = new PeerAddress(text.Trim(), host, port, identity);
        return true;
    }

    public static PeerAddress Parse(string text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException(error);

    private static bool TryParseKey(string hex, out PublicKey? key)
    {
        key = null;
        if (hex.Length != 64) return false;
        try
        {
            return PublicKey.TryFromBytes(Hex.Decode(hex), out key);
        }
        catch (CryptoFormatException)
        {
            return false;
        }
    }

    private static bool TrySplitHostPort(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal)) return false; // a bare IPv6 literal needs brackets
        return host.Length > 0
            && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is >= 0 and <= 65535;
    }
}
