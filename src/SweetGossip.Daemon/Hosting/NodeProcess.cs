using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweetGossip.Daemon.Control;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Settlement;

namespace SweetGossip.Daemon.Hosting;

/// <summary>
/// `sgossip node run`: one node in this process, in the foreground, until cancelled (Ctrl-C, SIGTERM).
/// Reads the config (errors name the key), then runs a generic host (<see cref="DaemonHost"/>) whose actor system
/// Akka.Hosting makes from that config: the node (<see cref="NodeService"/>) and the loopback control endpoint
/// (<see cref="ControlService"/>) start in that order as hosted services, one <c>ready</c> line is printed, and a stop
/// of the host stops the control endpoint first, then the node through CoordinatedShutdown.
/// </summary>
public static class NodeProcess
{
    private const string Source = "sgossip";

    public static async Task<int> RunAsync(string configFile, TextWriter output, CancellationToken cancel)
    {
        var (host, config) = Load(configFile);
        SettlementSettings settlement;
        try
        {
            settlement = SettlementSettings.From(config);
        }
        catch (NodeConfigException e)
        {
            throw new StartupException($"{configFile}: {e.Message}");
        }
        var log = new DaemonLog(output, Source);
        var builder = DaemonHost.CreateBuilder("sgossip", config);
        builder.Services.AddSingleton(host);
        builder.Services.AddSingleton(settlement);
        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton<NodeService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<NodeService>());
        builder.Services.AddSingleton<ControlService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ControlService>());
        using var daemon = builder.Build();
        // SIGTERM and Ctrl-C: System.CommandLine cancels the command, and the host stops.
        using var stopOnCancel = cancel.Register(daemon.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication);
        await DaemonHost.StartAsync(daemon, cancel);

        var node = daemon.Services.GetRequiredService<NodeService>().Node;
        var control = daemon.Services.GetRequiredService<ControlService>();
        var system = daemon.Services.GetRequiredService<ActorSystem>();
        log.Info($"ready listen={node.Listening.Address} control={control.Url} contact={node.Settings.ContactAddress} identity={host.Node.Identity.PublicKey.ToHex()} peers={host.Node.StaticPeers.Count} control-token={control.TokenFile}");
        var exitCode = 0;
        await DaemonHost.StoppingAsync(daemon);
        // Akka.Hosting stops the host when the actor system ends; a stop that was asked for comes before that.
        if (system.WhenTerminated.IsCompleted)
        {
            log.Error("the actor system terminated on its own");
            exitCode = 1;
        }
        else
        {
            log.Info("shutting down");
        }
        await daemon.StopAsync(CancellationToken.None);
        log.Info("stopped");
        return exitCode;
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
}
