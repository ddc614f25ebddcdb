using System.Net;
using System.Net.Sockets;
using Akka.Configuration;
using SweetGossip.Node.Transport.Tcp;

namespace SweetGossip.Node.Hosting;

/// <summary>
/// Where the Prometheus scrape endpoint listens (<c>sweetgossip.metrics.listen</c>; default in reference.conf, loopback).
/// <c>""</c> or <c>off</c>: no endpoint. An address other than loopback is taken only as the operator wrote it (the
/// default never is one), and announced as reachable from other hosts: the endpoint has no authentication.
/// </summary>
/// <param name="EndPoint">Null when the endpoint is off. Port 0 picks a free port.</param>
/// <param name="Explicit">The operator's file sets the key. If not, the default's port being taken is a warning, not a
/// failure: several nodes on one host (a devnet, tests) would otherwise all need the key to start.</param>
public sealed record MetricsSettings(IPEndPoint? EndPoint, bool Explicit = true)
{
    public const string Path = "sweetgossip.metrics";

    public const string ListenKey = Path + ".listen";

    public static MetricsSettings Off { get; } = new(null, false);

    public bool Enabled => EndPoint is not null;

    /// <summary>Reachable from other hosts: not a loopback address.</summary>
    public bool Exposed => EndPoint is { } endPoint && !IPAddress.IsLoopback(endPoint.Address);

    /// <param name="config">The operator's file over reference.conf.</param>
    /// <param name="operatorFile">The operator's file alone, to tell whether the key was set there (null: take it as set).</param>
    /// <exception cref="NodeConfigException">The value is not "", off or an IP endpoint (the key is named).</exception>
    public static MetricsSettings From(Config config, Config? operatorFile = null)
    {
        var metrics = new ConfigReader(config, Path, Environment.CurrentDirectory);
        var listen = metrics.String("listen").Trim();
        if (listen.Length == 0 || listen == "off") return Off;
        if (!TcpTransport.TryParseListen(listen, out var endPoint, out var error))
            throw metrics.Error("listen", $"{error}; or \"off\" for no metrics endpoint");
        // .NET's HttpListener on Linux and macOS cannot parse a prefix naming an IPv6 address; [::] becomes a wildcard prefix.
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && !endPoint.Address.Equals(IPAddress.IPv6Any))
            throw metrics.Error("listen", $"'{listen}': the metrics endpoint takes an IPv4 address (127.0.0.1, or 0.0.0.0 for every interface) or [::]; HttpListener cannot serve one IPv6 address");
        return new MetricsSettings(endPoint, operatorFile?.HasPath(ListenKey) ?? true);
    }
}
