using Akka.Actor;
using Microsoft.Extensions.Hosting;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Cluster.Hosting;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hub;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Settlement;

namespace SweetGossip.Daemon.Hosting;

/// <summary>
/// The node of `node run` as a hosted service: its Lightning node (embedded, or its account at a Lightning hub), the
/// node's actors listening on TCP, and the reply log. Its actors stop with the actor system (CoordinatedShutdown, after
/// this service); its Lightning node is let go when the host is disposed, after that.
/// </summary>
public sealed class NodeService(ActorSystem system, NodeHostSettings host, SettlementSettings settlement, DaemonLog log, HubMembership membership) : IHostedService, IDisposable
{
    private readonly EmbeddedLightningNetwork _lightningNetwork = new();
    private IDisposable? _expiry;
    private RemoteLightningNode? _remote;
    private ListeningNode? _node;

    /// <summary>This process as a member of a relay hub, once up; null for a plain node.</summary>
    public HubMember? Member { get; private set; }

    /// <summary>The node, once started.</summary>
    public ListeningNode Node => _node ?? throw new InvalidOperationException("the node has not started");

    /// <summary>The actor keeping the replies to topics this node originated (<see cref="ReplyLog"/>).</summary>
    public IActorRef Replies { get; private set; } = ActorRefs.Nobody;

    /// <exception cref="StartupException">The hub refuses or cannot be reached, the listen address is taken, or <see cref="CrashPoint.Variable"/> is malformed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _expiry = _lightningNetwork.StartExpiryTimer(TimeSpan.FromSeconds(1));
        ILightningNode lightning;
        if (host.Lightning.Hub is { } hub)
        {
            _remote = await ConnectHubAsync(hub, cancellationToken);
            lightning = _remote;
        }
        else
        {
            lightning = _lightningNetwork.CreateNode(host.Lightning.StartingBalanceMsat);
        }
        HubRole? hubRole = null;
        if (membership.Settings is { } cluster)
        {
            // Up first: a member that relays before it can claim would relay what another member relays.
            Member = HubMember.Start(system, cluster);
            log.Info($"joining hub as {Member.Address}, seeds {string.Join(", ", cluster.SeedNodes)}");
            try
            {
                await Member.WhenUp.WaitAsync(cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                throw new StartupException(e.Message);
            }
            hubRole = HubRole.Of(Member);
            system.ActorOf(HubMetricsReporter.Props(Member.TopicClaims, cluster.MetricsInterval), "hub-metrics");
        }
        var crashPoint = CrashPoint.FromEnvironment(log.Output);
        Props? settlementProps = null;
        if (Member is not null && HubSettlement.JournalIsShared(system.Settings.Config))
        {
            // On the hub's shared journal this member's ledger is a sharded book: if this process dies, a survivor finishes it.
            var books = HubSettlement.Start(Member, lightning, TimeProvider.System, settlement, crashPoint);
            settlementProps = books.Forwarder();
            log.Info($"settlement book {books.BookId} on the hub's shared journal");
        }
        else if (Member is not null)
        {
            log.Warn("settlement stays in this member's own journal (not PostgreSQL): if this member dies, its open payments wait for its restart");
        }
        try
        {
            _node = await NodeHost.StartTcpAsync(system, "node", host.Node, host.Transport, lightning, TimeProvider.System, settlement, crashPoint, hubRole, settlementProps);
        }
        catch (InvalidOperationException e)
        {
            throw new StartupException($"sweetgossip.node.listen: {e.Message}");
        }
        Replies = NodeGuardian.Adopt(_node.Running.Guardian, ReplyLog.Props(_node.Running.Node, TimeProvider.System), "replies");
        _ = EndWithTheNodeAsync(_node.Running.Guardian);
        // Started is not ready: a topic originated, or a peer's ask answered, before the node's journals are read back
        // waits in its stash and can outlive its timeout (docs/reliability.md). A hub member's sharded book recovers where
        // it is hosted, not here.
        var patience = TimeSpan.FromMinutes(5);
        try
        {
            await NodeHost.WhenRecoveredAsync(_node.Running, ownSettlement: settlementProps is null, patience, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            throw new StartupException($"the node's journals were not read back within {patience.TotalMinutes} minutes");
        }
        catch (InvalidOperationException e)
        {
            throw new StartupException(e.Message);
        }
    }

    /// <summary>
    /// A node whose guardian stopped (a part of it failed: <see cref="NodeGuardian"/>) is not left as a process that
    /// answers its control endpoint and relays nothing: the actor system is shut down, and `node run` exits 1.
    /// </summary>
    private async Task EndWithTheNodeAsync(IActorRef guardian)
    {
        await guardian.WatchAsync();
        var shutdown = CoordinatedShutdown.Get(system);
        if (shutdown.ShutdownReason is not null) return;
        log.Error("the node stopped (a part of it failed); shutting down");
        await shutdown.Run(CoordinatedShutdown.UnknownReason.Instance);
    }

    // The actors are the actor system's to stop (CoordinatedShutdown runs after every service has stopped).
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _remote?.Dispose();
        _expiry?.Dispose();
        _lightningNetwork.Dispose();
    }

    /// <summary>The node's Lightning node at the hub: the same one on every start (named by the identity key unless configured).</summary>
    private async Task<RemoteLightningNode> ConnectHubAsync(Uri hub, CancellationToken cancel)
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
                e => log.Warn($"lightning hub: {e.GetType().Name}: {e.Message}"), cancel);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException && !cancel.IsCancellationRequested)
        {
            throw new StartupException($"sweetgossip.node.lightning.hub: cannot register with the Lightning hub at {hub}: {e.Message}");
        }
        log.Info($"lightning hub {hub} node {remote.NodeId} name={name}");
        return remote;
    }
}
