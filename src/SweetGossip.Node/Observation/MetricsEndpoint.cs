using System.Net;
using System.Net.Sockets;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace SweetGossip.Node.Observation;

/// <summary>
/// The Prometheus scrape endpoint: an OpenTelemetry meter provider reading <see cref="NodeMetrics"/>, served by the
/// exporter's own HttpListener at <c>http://address:port/metrics</c> (plain text, no authentication: it exposes counts,
/// never keys or payloads). Disposing it stops the listener.
/// </summary>
public sealed class MetricsEndpoint : IDisposable
{
    private const int FreePortAttempts = 5;

    private const string Path = "/metrics";

    private readonly MeterProvider _provider;

    private MetricsEndpoint(MeterProvider provider, string url) => (_provider, Url) = (provider, url);

    /// <summary>Where Prometheus scrapes, e.g. <c>http://127.0.0.1:9464/metrics</c>.</summary>
    public string Url { get; }

    /// <summary>
    /// Starts serving at <paramref name="endPoint"/>; port 0 takes a free port. An unspecified address (0.0.0.0, [::])
    /// serves every interface and any Host header; a specific address serves requests naming it.
    /// </summary>
    /// <exception cref="IOException">The endpoint cannot be bound (in use, not a local address).</exception>
    public static MetricsEndpoint Start(IPEndPoint endPoint, string serviceName)
    {
        // HttpListener cannot bind port 0: a free port is found first, and another tried if it is taken meanwhile.
        for (var attempt = 1; ; attempt++)
        {
            var port = endPoint.Port != 0 ? endPoint.Port : FreePort(endPoint.Address);
            try
            {
                return StartAt(endPoint.Address, port, serviceName);
            }
            catch (InvalidOperationException e) when (endPoint.Port == 0 && attempt < FreePortAttempts && e.InnerException is HttpListenerException)
            {
            }
            catch (InvalidOperationException e) when (e.InnerException is HttpListenerException or SocketException)
            {
                throw new IOException(e.InnerException.Message, e);
            }
        }
    }

    private static MetricsEndpoint StartAt(IPAddress address, int port, string serviceName)
    {
        var wildcard = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
        var shown = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        // HttpListener matches a request's Host header against the prefix's host; "+" takes any host, on every interface.
        // The exporter's Host option goes through System.Uri, which refuses "+": the prefix is set on the listener itself.
        var prefix = $"http://{(wildcard ? "+" : shown)}:{port}{Path}/";
        var provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService(serviceName))
            .AddMeter(NodeMetrics.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                o.Port = port;
                o.ScrapeEndpointPath = Path;
                o.ScopeInfoEnabled = false; // one meter: its name on every series says nothing
                o.ScrapeResponseCacheDurationMilliseconds = 0; // each scrape reads the counters now (the default serves one answer for 300 ms)
                o.ConfigureHttpListener = (_, listener) =>
                {
                    listener.Prefixes.Clear();
                    listener.Prefixes.Add(prefix);
                };
            })
            .Build();
        return new MetricsEndpoint(provider, $"http://{shown}:{port}{Path}");
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public void Dispose() => _provider.Dispose();
}
