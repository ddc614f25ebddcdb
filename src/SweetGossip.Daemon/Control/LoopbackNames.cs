using System.Globalization;
using System.Net;

namespace SweetGossip.Daemon.Control;

/// <summary>
/// Whether a request's <c>Host</c> and <c>Origin</c> name this machine's loopback. A page that makes its own domain
/// resolve to 127.0.0.1 (DNS rebinding) reaches a loopback port, but its browser still sends the page's domain as
/// Host; a page on any other site sends its site as Origin. Only exact loopback names pass: <c>localhost</c> and
/// loopback address literals in their usual form (127.0.0.1, [::1]), with or without a port.
/// </summary>
public static class LoopbackNames
{
    /// <summary>A Host header value: <c>host</c> or <c>host:port</c>, IPv6 in brackets.</summary>
    public static bool IsLoopbackHost(string? host)
    {
        if (string.IsNullOrEmpty(host)) return false;
        string name;
        string? port = null;
        if (host[0] == '[')
        {
            var close = host.IndexOf(']');
            if (close < 0) return false;
            name = host[..(close + 1)];
            var rest = host[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':') return false;
                port = rest[1..];
            }
        }
        else
        {
            var colon = host.IndexOf(':');
            name = colon < 0 ? host : host[..colon];
            if (colon >= 0) port = host[(colon + 1)..];
        }
        return (port is null || IsPort(port)) && IsLoopbackName(name);
    }

    /// <summary>An Origin header value: <c>scheme://host[:port]</c>. "null" (sandboxed frames, files) is not loopback.</summary>
    public static bool IsLoopbackOrigin(string? origin) =>
        origin is not null
        && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
        && IsLoopbackName(uri.Host);

    /// <summary><c>localhost</c>, or an IPv4 loopback in dotted-quad form, or an IPv6 loopback in brackets.</summary>
    private static bool IsLoopbackName(string name)
    {
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        if (name.Length > 2 && name[0] == '[' && name[^1] == ']')
            return IPAddress.TryParse(name[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && IPAddress.IsLoopback(v6);
        // Only the canonical form: IPAddress also reads "127.1" or "2130706433", which no browser sends as a Host.
        return IPAddress.TryParse(name, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
               && IPAddress.IsLoopback(v4) && v4.ToString() == name;
    }

    private static bool IsPort(string text) =>
        text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit)
        && int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) <= 65535;
}
