using System.Net;
using Akka.Actor;
using Akka.Configuration;
using SweetGossip.Cli.Control;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Observation;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Transport.Tcp;

namespace SweetGossip.Cli.Hosting;

/// <summary>
/// `sgossip node run`: one node in this process, in the foreground, until cancelled (Ctrl-C, SIGTERM).
/// Reads the config (errors name the key), starts the actor system, the embedded Lightning node, the
/// node on TCP and the loopback control endpoint, prints one <c>ready</c> line, and on cancellation stops
/// the control endpoint first, then the node through CoordinatedShutdown.
/// </summary>
public static class NodeProcess
{
    private const string Source = "sgossip";

    // Akka settings of the process itself; the operator's file and reference.conf come under them.
    private const string ProcessHocon = """
        akka.loggers = ["SweetGossip.Cli.Hosting.LineLogger, sgossip"]
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters-during-shutdown = off
        akka.coordinated-shutdown.exit-clr = off
        """;

    public static async Task<int> RunAsync(string configFile, TextWriter output, CancellationToken cancel)
    {
        var (host, config, metricsSettings) = Load(configFile);
        // Before the node starts, so that everything from its first link on is counted.
        using var metrics = StartMetrics(metricsSettings, output);
        var exitCode = 0;
        var system = ActorSystem.Create("sgossip", ConfigurationFactory.ParseString(ProcessHocon).WithFallback(config));
        using var lightningNetwork = new EmbeddedLightningNetwork();
        using var expiry = lightningNetwork.StartExpiryTimer(TimeSpan.FromSeconds(1));
        RemoteLightningNode? remote = null;
        try
        {
            ILightningNode lightning;
            if (host.Lightning.Hub is { } hub)
            {
                remote = await ConnectHubAsync(host, hub, output, cancel);
                lightning = remote;
            }
            else
            {
                lightning = lightningNetwork.CreateNode(host.Lightning.StartingBalanceMsat);
            }
            SettlementSettings settlement;
            try
            {
                settlement = SettlementSettings.From(config);
            }
            catch (NodeConfigException e)
            {
                throw new CliException($"{configFile}: {e.Message}");
            }
            ListeningNode node;
            try
            {
                node = await NodeHost.StartTcpAsync(system, "node", host.Node with { Observer = MeterObserver.Instance }, host.Transport, lightning, TimeProvider.System, settlement, CrashPoint.FromEnvironment(output));
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message);
            }
            var replies = system.ActorOf(ReplyLog.Props(node.Running.Node, TimeProvider.System), "replies");
            var api = new ControlApi(node, replies, host.Lightning.Kind, TimeProvider.System);
            TcpTransport.TryParseListen(host.ControlListen, out var controlEndPoint, out _);
            var tokenFile = ControlToken.PathIn(host.DataDirectory);
            string token;
            try
            {
                token = ControlToken.CreateOrRead(host.DataDirectory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                throw new CliException($"sweetgossip.data-directory: {e.Message}");
            }
            ControlServer control;
            try
            {
                control = await ControlServer.StartAsync(controlEndPoint, api, token);
            }
            catch (IOException e)
            {
                throw new CliException($"sweetgossip.control.listen: cannot listen on {host.ControlListen}: {e.Message}");
            }
            await using (control)
            using (Announce(control, tokenFile, output))
            {
                Log(output, "INFO", $"ready listen={node.Listening.Address} control={control.Url} metrics={metrics?.Url ?? "off"} contact={node.Settings.ContactAddress} identity={host.Node.Identity.PublicKey.ToHex()} peers={host.Node.StaticPeers.Count} control-token={tokenFile}");
                try
                {
                    await system.WhenTerminated.WaitAsync(cancel);
                    Log(output, "ERROR", "the actor system terminated on its own");
                    exitCode = 1;
                }
                catch (OperationCanceledException)
                {
                    Log(output, "INFO", "shutting down");
                }
            }
        }
        finally
        {
            // Runs the shutdown phases (persistence flushes, transports unbind) even if start-up failed half-way.
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
            remote?.Dispose();
        }
        Log(output, "INFO", "stopped");
        return exitCode;
    }

    /// <summary>The Prometheus endpoint, or null when off or when the default's port is taken (a warning; an operator's own value failing is an error).</summary>
    private static MetricsEndpoint? StartMetrics(MetricsSettings settings, TextWriter output)
    {
        if (settings.EndPoint is not { } endPoint) return null;
        MetricsEndpoint metrics;
        try
        {
            metrics = MetricsEndpoint.Start(endPoint, "sgossip-node");
        }
        catch (IOException e) when (!settings.Explicit)
        {
            Log(output, "WARN", $"no metrics endpoint: the default {MetricsSettings.ListenKey} ({endPoint}) cannot be bound: {e.Message}; set it to a free port, or off");
            return null;
        }
        catch (IOException e)
        {
            throw new CliException($"{MetricsSettings.ListenKey}: cannot listen on {endPoint}: {e.Message}");
        }
        if (settings.Exposed)
            Log(output, "WARN", $"the metrics endpoint {metrics.Url} is reachable from other hosts, without authentication ({MetricsSettings.ListenKey})");
        return metrics;
    }

    /// <summary>Tells local `sgossip` commands where this node's token is (<see cref="RunningNodes"/>); without the note they need --control-token-file.</summary>
    private static IDisposable? Announce(ControlServer control, string tokenFile, TextWriter output)
    {
        var listen = new Uri(control.Url);
        try
        {
            return RunningNodes.Announce(new IPEndPoint(IPAddress.Parse(listen.Host.Trim('[', ']')), listen.Port), tokenFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log(output, "WARN", $"cannot leave the control note for local commands in {RunningNodes.Directory}: {e.Message}; they need --control-token-file {tokenFile}");
            return null;
        }
    }

    /// <summary>The node's Lightning node at the hub: the same one on every start (named by the identity key unless configured).</summary>
    private static async Task<RemoteLightningNode> ConnectHubAsync(NodeHostSettings host, Uri hub, TextWriter output, CancellationToken cancel)
    {
        var name = host.Lightning.Name.Length > 0 ? host.Lightning.Name : host.Node.Identity.PublicKey.ToHex();
        string token;
        try
        {
            token = HubToken.Read(host.Lightning.HubTokenFile!);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"sweetgossip.node.lightning.hub-token-file: {e.Message}");
        }
        RemoteLightningNode remote;
        try
        {
            remote = await RemoteLightningNode.ConnectAsync(hub, token, name, host.Lightning.StartingBalanceMsat,
                e => Log(output, "WARN", $"lightning hub: {e.GetType().Name}: {e.Message}"), cancel);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException && !cancel.IsCancellationRequested)
        {
            throw new CliException($"sweetgossip.node.lightning.hub: cannot register with the Lightning hub at {hub}: {e.Message}");
        }
        Log(output, "INFO", $"lightning hub {hub} node {remote.NodeId} name={name}");
        return remote;
    }

    /// <summary>The node's settings and the full Akka config, from the operator's file over reference.conf.</summary>
    private static (NodeHostSettings Host, Config Config, MetricsSettings Metrics) Load(string configFile)
    {
        var path = Path.GetFullPath(configFile);
        if (!File.Exists(path)) throw new CliException($"file not found: {configFile}");
        var text = File.ReadAllText(path);
        Config merged, operatorFile;
        try
        {
            operatorFile = ConfigurationFactory.ParseString(text);
            merged = operatorFile.WithFallback(NodeConfig.Reference);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CliException($"{configFile}: not valid HOCON: {e.Message}");
        }
        NodeHostSettings host;
        MetricsSettings metrics;
        try
        {
            host = NodeSettingsLoader.Load(merged, Path.GetDirectoryName(path)!);
            metrics = MetricsSettings.From(merged, operatorFile);
        }
        catch (NodeConfigException e)
        {
            throw new CliException($"{configFile}: {e.Message}");
        }
        return (host, NodeConfig.Build(text, host.DataDirectory), metrics);
    }

    private static void Log(TextWriter output, string level, string message) =>
        output.WriteLine(LineLogger.Format(DateTime.UtcNow, level, Source, message));
}
