using System.Net.Http.Headers;
using System.Net.Http.Json;
using SweetGossip.Cli.Control;
using SweetGossip.Cli.Files;
using SweetGossip.Daemon.Control;
using SweetGossip.Daemon.Hosting;
using SweetGossip.Node.Hosting;
using SweetGossip.Lightning.Remote;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cli.Chaos;

/// <summary>
/// A Lightning hub and five `sgossip node run` processes in a line on loopback — rider, m1, m2, m3, driver —
/// each with its own SQLite data directory, so any of them can be killed and restarted on its journal.
/// The rider originates taxi topics, the middlemen relay them (proof-of-work favours) and carry the driver's
/// offer back, the rider pays the chain through the hub. Everything waits on log lines or the hub's state.
/// </summary>
public sealed class ChainNetwork : IAsyncDisposable
{
    /// <summary>Each node's opening balance; the rider's is larger, enough to buy a reply every round of a long run.</summary>
    public const ulong OpeningMsat = 1_000_000_000;

    public const ulong RiderOpeningMsat = 1_000_000_000_000;
    public const ulong PriceMsat = 25_000_000;
    public const ulong RelayFeeMsat = 1_000;

    /// <summary>Started driver first: each dials the one before it.</summary>
    public static readonly IReadOnlyList<string> Line = ["driver", "m3", "m2", "m1", "rider"];

    private readonly string _directory;
    private readonly TimeSpan _patience;
    private readonly HttpClient _hub;
    private readonly Dictionary<string, ChildProcess> _nodes = [];
    private readonly Dictionary<string, ControlTarget> _controls = [];
    private readonly Dictionary<string, string> _listens = [];
    // Each node listens on a port fixed at the first start, so a restarted node is where its neighbours redial.
    private readonly Dictionary<string, int> _ports = [];
    private CertificateAuthority? _authority;
    private string? _tokenFile;
    private int _unreachable;

    private ChainNetwork(string directory, TimeSpan patience, ChildProcess hub, string hubUrl, string? token)
    {
        (_directory, _patience, Hub, HubUrl) = (directory, patience, hub, hubUrl);
        _hub = new HttpClient { BaseAddress = new Uri(hubUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) _hub.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public ChildProcess Hub { get; }

    public string HubUrl { get; }

    public ChildProcess Node(string name) => _nodes[name];

    public ControlTarget Control(string name) => _controls[name];

    /// <summary>The role each node plays in every round: the rider buys, the middlemen relay, the driver replies.</summary>
    public static string RoleOf(string name) => name switch { "rider" => "originator", "driver" => "replier", _ => "middleman" };

    public static async Task<ChainNetwork> StartAsync(string directory, TimeSpan patience)
    {
        SecretFile.CreateDirectory(directory); // the nodes' keys and journals go here
        var hubData = Path.Combine(directory, "hub");
        var hub = ChildProcess.Start("hub", directory, null, patience, "ln", "hub", "--listen", "127.0.0.1:0", "--data", hubData);
        string url;
        try
        {
            var ready = await hub.LineAsync(l => l.Contains(" ready listen=", StringComparison.Ordinal), "its ready line");
            url = Field(ready, "listen");
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
        var tokenFile = Path.Combine(hubData, "hub.token");
        var network = new ChainNetwork(directory, patience, hub, url, File.Exists(tokenFile) ? File.ReadAllText(tokenFile).Trim() : null);
        try
        {
            network.WriteFiles(File.Exists(tokenFile) ? tokenFile : null);
            foreach (var name in Line) await network.FirstStartAsync(name);
            foreach (var name in Line) await network.LinksUpAsync(name);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops <paramref name="name"/> cleanly if it runs, then starts it again on the same data, optionally armed to crash after a journaled step.</summary>
    public async Task RestartAsync(string name, string? crashAfter)
    {
        if (_nodes.Remove(name, out var old))
        {
            if (!old.HasExited && await old.TerminateAsync() != 0)
                throw new InvalidOperationException($"{name} did not stop cleanly; its output:\n{old.Output}");
            await KeepLogAsync(old);
        }
        await StartNodeAsync(name, crashAfter);
        await LinksUpAsync(name);
    }

    /// <summary>A taxi topic from the rider, through its control endpoint; its payload id.</summary>
    public async Task<string> OriginateAsync(CancellationToken ct)
    {
        var topic = await ControlClient.PostAsync<TopicView>(_controls["rider"], "/topics/taxi", new TaxiTopicRequest(-33.8647, 151.2096, 7, "now", "now+30m"), ct);
        return topic.PayloadId;
    }

    public async Task<HubState> HubStateAsync(CancellationToken ct) =>
        (await _hub.GetFromJsonAsync<HubState>("state", HubJson.Options, ct)) ?? throw new InvalidOperationException("the hub answered no state");

    /// <summary>
    /// Starts a node the first time. Its port was free when picked, but anything on the machine may bind it (or use it
    /// as an outgoing connection's port) before the node does: then it gets another port, and the node that dials it
    /// (started next) is told the new one.
    /// </summary>
    private async Task FirstStartAsync(string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            var node = ChildProcess.Start(name, _directory, null, _patience, "node", "run", "--config", Path.Combine(_directory, $"{name}.conf"));
            _nodes[name] = node;
            var ready = ReadyAsync(name, node);
            if (await Task.WhenAny(ready, node.Exited) == ready || attempt == 3
                || !node.Output.Contains($"cannot listen on 127.0.0.1:{_ports[name]}: Address already in use", StringComparison.Ordinal))
            {
                await ready;
                return;
            }
            _nodes.Remove(name);
            await KeepLogAsync(node);
            _ports[name] = FreePort();
            WriteConfig(name);
            if (IndexInLine(name) + 1 is var next && next < Line.Count) WriteConfig(Line[next]);
        }
    }

    private async Task StartNodeAsync(string name, string? crashAfter)
    {
        var environment = crashAfter is null ? null : new Dictionary<string, string> { [CrashPoint.Variable] = crashAfter };
        var node = ChildProcess.Start(name, _directory, environment, _patience, "node", "run", "--config", Path.Combine(_directory, $"{name}.conf"));
        _nodes[name] = node;
        await ReadyAsync(name, node);
    }

    private async Task ReadyAsync(string name, ChildProcess node)
    {
        var ready = await node.LineAsync(l => l.Contains(" ready listen=", StringComparison.Ordinal), "its ready line");
        _controls[name] = new ControlTarget(Field(ready, "control"), Field(ready, "control-token"));
        _listens[name] = Field(ready, "listen");
    }

    /// <summary>Waits until the node's links to its neighbours in the line are up (it logs one line per link).</summary>
    private Task LinksUpAsync(string name)
    {
        var node = _nodes[name];
        var neighbours = name is "driver" or "rider" ? 1 : 2;
        var seen = 0;
        return node.LineAsync(l => l.Contains(": up (", StringComparison.Ordinal) && ++seen >= neighbours, $"{neighbours} links up");
    }

    private void WriteFiles(string? tokenFile)
    {
        _authority = new CertificateAuthority("Chaos Taxi Council", PrivateKey.Generate());
        _tokenFile = tokenFile;
        var now = DateTimeOffset.UtcNow;
        foreach (var name in Line) _ports[name] = FreePort();
        _unreachable = FreePort();
        foreach (var name in Line)
        {
            var key = PrivateKey.Generate();
            JsonFile.WriteSecret(Path.Combine(_directory, $"{name}.key"), KeyFile.From(key), replace: true);
            JsonFile.Write(Path.Combine(_directory, $"{name}.cert"), WireFile.Of(_authority.Issue(key.PublicKey, name == "driver" ? "taxi-driver" : "rider", [], now.AddDays(-1), now.AddDays(30))));
            WriteConfig(name);
        }
    }

    /// <summary>The node's configuration: it listens on its port and dials the node before it in the line.</summary>
    private void WriteConfig(string name)
    {
        var authority = _authority!;
        var index = IndexInLine(name);
        string? previous = index == 0 ? null : Line[index - 1];
        var policy = name == "driver"
            ? $$"""{ kind = taxi-driver, area = "r3gx", price-msat = {{PriceMsat}}, message = "Prius, 6 min away" }"""
            : "{ kind = none }";
        // The driver's contact address leads nowhere on purpose: the rider's direct Validate link would otherwise
        // stay up as a gossip link, and later topics would reach the driver without the middlemen. Without an
        // Ack, a reply is delivered unconfirmed after validate-timeout; settlement is what this harness tests.
        var contact = name == "driver" ? $"contact-address = \"127.0.0.1:{_unreachable}\"" : "";
        File.WriteAllText(Path.Combine(_directory, $"{name}.conf"), $$"""
            sweetgossip {
              data-directory = "data-{{name}}"
              node {
                listen = "127.0.0.1:{{_ports[name]}}"
                peers = [{{(previous is null ? "" : $"\"127.0.0.1:{_ports[previous]}\"")}}]
                identity-key-file = "{{name}}.key"
                certificate-file = "{{name}}.cert"
                trusted-authorities = [{ name = "{{authority.Name}}", public-key = "{{authority.PublicKey.ToHex()}}" }]
                pow { base-difficulty = 4, max-extra = 4, workers = 1 }
                relay-fee-msat = {{RelayFeeMsat}}
                validate-timeout = 1s
                {{contact}}
                lightning { kind = hub, hub = "{{HubUrl}}", name = {{name}}, starting-balance-msat = {{(name == "rider" ? RiderOpeningMsat : OpeningMsat)}}{{(_tokenFile is null ? "" : $", hub-token-file = \"{_tokenFile.Replace("\\", "\\\\", StringComparison.Ordinal)}\"")}} }
                reply-policy = {{policy}}
                transport { reconnect-min-backoff = 100ms, reconnect-max-backoff = 1s }
              }
              control.listen = "127.0.0.1:0"
            }
            """);
    }

    private static int IndexInLine(string name)
    {
        for (var i = 0; i < Line.Count; i++)
            if (Line[i] == name) return i;
        throw new ArgumentException($"{name} is not in the line", nameof(name));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The value of <c>key=value</c> in a log line.</summary>
    private static string Field(string line, string key) =>
        line.Split(' ').Single(part => part.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];

    /// <summary>Appends a process's output to <c>logs/&lt;name&gt;.log</c> in the working folder, then disposes it.</summary>
    private async Task KeepLogAsync(ChildProcess process)
    {
        var logs = Path.Combine(_directory, "logs");
        Directory.CreateDirectory(logs);
        await File.AppendAllTextAsync(Path.Combine(logs, process.Name + ".log"), process.Output + "\n");
        await process.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Values)
        {
            if (!node.HasExited) await node.TerminateAsync();
            await KeepLogAsync(node);
        }
        if (!Hub.HasExited) await Hub.TerminateAsync();
        await KeepLogAsync(Hub);
        _hub.Dispose();
    }
}
