using System.Net;
using Akka.Actor;
using Akka.Configuration;
using SweetGossip.Daemon.Control;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Transport.Tcp;

namespace SweetGossip.Daemon.Hosting;

/// <summary>
/// `sgossip node run`: one node in this process, in the foreground, until cancelled (Ctrl-C, SIGTERM).
/// Reads the config (errors name the key), starts the actor system, the embedded Lightning node, the
/// node on TCP and the loopback control endpoint, prints one <c>ready</c> line, and on cancellation stops
/// the control endpoint first, then the node through CoordinatedShutdown.
/// </summary>
public static class NodeProcess
{
    private const string Source = "sgossip";

    public static async Task<int> RunAsync(string configFile, TextWriter output, CancellationToken cancel)
    {
        var (host, config) = Load(configFile);
        var exitCode = 0;
        var system = ActorSystem.Create("sgossip", DaemonConfig.Process.WithFallback(config));
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
                throw new StartupException($"{configFile}: {e.Message}");
            }
            ListeningNode node;
            try
            {
                node = await NodeHost.StartTcpAsync(system, "node", host.Node, host.Transport, lightning, TimeProvider.System, settlement, CrashPoint.FromEnvironment(output));
            }
            catch (InvalidOperationException e)
            {
                throw new StartupException(e.Message);
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
                throw new StartupException($"sweetgossip.data-directory: {e.Message}");
            }
            ControlServer control;
            try
            {
                control = await ControlServer.StartAsync(controlEndPoint, api, token);
            }
            catch (IOException e)
            {
                throw new StartupException($"sweetgossip.control.listen: cannot listen on {host.ControlListen}: {e.Message}");
            }
            await using (control)
            using (Announce(control, tokenFile, output))
            {
                Log(output, "INFO", $"ready listen={node.Listening.Address} control={control.Url} contact={node.Settings.ContactAddress} identity={host.Node.Identity.PublicKey.ToHex()} peers={host.Node.StaticPeers.Count} control-token={tokenFile}");
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
            throw new StartupException($"sweetgossip.node.lightning.hub-token-file: {e.Message}");
        }
        RemoteLightningNode remote;
        try
        {
            remote = await RemoteLightningNode.ConnectAsync(hub, token, name, host.Lightning.StartingBalanceMsat,
                e => Log(output, "WARN", $"lightning hub: {e.GetType().Name}: {e.Message}"), cancel);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException && !cancel.IsCancellationRequested)
        {
            throw new StartupException($"sweetgossip.node.lightning.hub: cannot register with the Lightning hub at {hub}: {e.Message}");
        }
        Log(output, "INFO", $"lightning hub {hub} node {remote.NodeId} name={name}");
        return remote;
    }

    /// <summary>The node's settings and the full Akka config, from the operator's file over reference.conf.</summary>
    private static (NodeHostSettings Host, Config Config) Load(string configFile)
    {
        var path = Path.GetFullPath(configFile);
        if (!File.Exists(path)) throw new StartupException($"file not found: {configFile}");
        var text = File.ReadAllText(path);
        Config merged;
        try
        {
            merged = ConfigurationFactory.ParseString(text).WithFallback(NodeConfig.Reference);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new StartupException($"{configFile}: not valid HOCON: {e.Message}");
        }
        NodeHostSettings host;
        try
        {
            host = NodeSettingsLoader.Load(merged, Path.GetDirectoryName(path)!);
        }
        catch (NodeConfigException e)
        {
            throw new StartupException($"{configFile}: {e.Message}");
        }
        return (host, NodeConfig.Build(text, host.DataDirectory));
    }

    private static void Log(TextWriter output, string level, string message) =>
        output.WriteLine(LineLogger.Format(DateTime.UtcNow, level, Source, message));
}
