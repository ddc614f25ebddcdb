using Akka.Actor;
using Akka.Configuration;
using SweetGossip.Cluster.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweetGossip.Daemon.Control;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Observation;
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
    /// <summary>The actor system's name: a hub's seed nodes name it (akka.tcp://sgossip@host:port).</summary>
    public const string SystemName = "sgossip";

    private const string Source = "sgossip";

    public static async Task<int> RunAsync(string configFile, TextWriter output, CancellationToken cancel)
    {
        var (host, config, metricsSettings, cluster) = Load(configFile);
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
        // Before the node starts, so that everything from its first link on is counted.
        using var metrics = StartMetrics(metricsSettings, log);
        var builder = DaemonHost.CreateBuilder(SystemName, config);
        builder.Services.AddSingleton(host with { Node = host.Node with { Observer = MeterObserver.Instance } });
        builder.Services.AddSingleton(settlement);
        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton(new HubMembership(cluster));
        builder.Services.AddSingleton<NodeService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<NodeService>());
        builder.Services.AddSingleton<ControlService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ControlService>());
        using var daemon = builder.Build();
        // SIGTERM and Ctrl-C: System.CommandLine cancels the command, and the host stops.
        using var stopOnCancel = cancel.Register(daemon.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication);
        try
        {
            await DaemonHost.StartAsync(daemon, cancel);
        }
        catch (Exception e) when (cluster is not null && ClusterBindFailure.Describe(e, $"{cluster.Hostname}:{cluster.Port}") is { } failure)
        {
            throw failure;
        }

        var node = daemon.Services.GetRequiredService<NodeService>().Node;
        var control = daemon.Services.GetRequiredService<ControlService>();
        var system = daemon.Services.GetRequiredService<ActorSystem>();
        var member = daemon.Services.GetRequiredService<NodeService>().Member;
        log.Info($"ready listen={node.Listening.Address} control={control.Url} metrics={metrics?.Url ?? "off"} contact={node.Settings.ContactAddress} identity={host.Node.Identity.PublicKey.ToHex()} peers={host.Node.StaticPeers.Count} control-token={control.TokenFile}" +
            (member is null ? "" : $" hub-member={member.Address}"));
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

    /// <summary>The Prometheus endpoint, or null when off or when the default's port is taken (a warning; an operator's own value failing is an error).</summary>
    private static MetricsEndpoint? StartMetrics(MetricsSettings settings, DaemonLog log)
    {
        if (settings.EndPoint is not { } endPoint) return null;
        MetricsEndpoint metrics;
        try
        {
            metrics = MetricsEndpoint.Start(endPoint, "sgossip-node");
        }
        catch (IOException e) when (!settings.Explicit)
        {
            log.Warn($"no metrics endpoint: the default {MetricsSettings.ListenKey} ({endPoint}) cannot be bound: {e.Message}; set it to a free port, or off");
            return null;
        }
        catch (IOException e)
        {
            throw new StartupException($"{MetricsSettings.ListenKey}: cannot listen on {endPoint}: {e.Message}");
        }
        if (settings.Exposed)
            log.Warn($"the metrics endpoint {metrics.Url} is reachable from other hosts, without authentication ({MetricsSettings.ListenKey})");
        return metrics;
    }

    /// <summary>The node's settings, its metrics endpoint and the full Akka config, from the operator's file over reference.conf.</summary>
    private static (NodeHostSettings Host, Config Config, MetricsSettings Metrics, HubClusterSettings? Cluster) Load(string configFile)
    {
        var path = Path.GetFullPath(configFile);
        if (!File.Exists(path)) throw new StartupException($"file not found: {configFile}");
        var text = File.ReadAllText(path);
        Config merged, operatorFile;
        try
        {
            operatorFile = ConfigurationFactory.ParseString(text);
            merged = operatorFile.WithFallback(NodeConfig.Reference);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new StartupException($"{configFile}: not valid HOCON: {e.Message}");
        }
        NodeHostSettings host;
        MetricsSettings metrics;
        HubClusterSettings? cluster;
        try
        {
            host = NodeSettingsLoader.Load(merged, Path.GetDirectoryName(path)!);
            metrics = MetricsSettings.From(merged, operatorFile);
            // A `sweetgossip.cluster` section makes this process a member of a relay hub (issue 12); none: a plain node.
            cluster = HubClusterSettings.Load(operatorFile, SystemName);
        }
        catch (Exception e) when (e is NodeConfigException or HubClusterConfigException)
        {
            throw new StartupException($"{configFile}: {e.Message}");
        }
        var config = NodeConfig.Build(text, host.DataDirectory);
        // A member's settlement commands and answers may cross to another member (its book moved there): bind their serializer.
        return (host, cluster is null ? config : cluster.ToAkkaConfig().WithFallback(ConfigurationFactory.ParseString(SweetGossip.Node.Hub.SettlementMessageSerializer.Hocon)).WithFallback(config), metrics, cluster);
    }
}
