using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using SweetGossip.Cluster.Claims;
using SweetGossip.Cluster.Peers;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Hosting;

/// <summary>
/// One member of a hub: joins the cluster, runs this member's topic-claims region and its part of the peer registry.
/// The node guardian is given <see cref="TopicClaims"/> and <see cref="PeerLinks"/>; <see cref="LeaveAsync"/> (or a
/// process exit, through CoordinatedShutdown) leaves gracefully: shards hand over, then the member is removed.
/// </summary>
public sealed class HubMember
{
    private HubMember(ActorSystem system, HubClusterSettings settings, IActorRef topicClaims, IActorRef peerLinks, Task whenUp)
    {
        System = system;
        Settings = settings;
        TopicClaims = topicClaims;
        PeerLinks = peerLinks;
        WhenUp = whenUp;
    }

    public ActorSystem System { get; }

    public HubClusterSettings Settings { get; }

    /// <summary>This member's topic-claims shard region: <see cref="ClaimTopic"/> → <see cref="TopicClaimAnswer"/>.</summary>
    public IActorRef TopicClaims { get; }

    /// <summary>This member's <see cref="PeerLinkRegistry"/>: register links, <see cref="SendToPeer"/>.</summary>
    public IActorRef PeerLinks { get; }

    /// <summary>Completes when this member is Up (the cluster has at least min-nr-of-members); faults if it is removed first.</summary>
    public Task WhenUp { get; }

    public Address Address => Akka.Cluster.Cluster.Get(System).SelfAddress;

    /// <summary>An ActorSystem configured as a member: <paramref name="settings"/>' Akka config over <paramref name="nodeConfig"/>.</summary>
    public static ActorSystem CreateSystem(string name, HubClusterSettings settings, Config? nodeConfig = null) =>
        ActorSystem.Create(name, nodeConfig is null ? settings.ToAkkaConfig() : settings.ToAkkaConfig().WithFallback(nodeConfig));

    /// <summary>Joins the seed nodes and starts this member's region and registry (once per ActorSystem).</summary>
    public static HubMember Start(ActorSystem system, HubClusterSettings settings, TimeProvider? clock = null)
    {
        if (!system.Settings.ProviderClass.Contains("Cluster", StringComparison.Ordinal))
            throw new InvalidOperationException($"ActorSystem '{system.Name}' is not a cluster member: create it with HubClusterSettings.ToAkkaConfig()");
        var cluster = Akka.Cluster.Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.RegisterOnMemberRemoved(() => up.TrySetException(new InvalidOperationException($"{cluster.SelfAddress} was removed from the hub before it was up")));
        cluster.JoinSeedNodes(settings.SeedNodes);
        var claims = TopicShard.Start(system, settings, clock);
        var mediator = DistributedPubSub.Get(system).Mediator;
        var peerLinks = system.ActorOf(PeerLinkRegistry.Props(mediator, settings.MaxPeerLinks, settings.UnlinkedLinger,
            settings.PeerViewSize > 0 ? new PeerLinkRegistry.PeerViewSettings(settings.PeerViewSize, settings.PeerLinkGossipInterval, settings.PeerViewRefresh) : null,
            new PeerLinkRegistry.HoldSettings(settings.HoldFor, settings.HoldFramesPerPeer, settings.HoldFrames, settings.HoldRetryInterval)), PeerLinkRegistry.Name);
        return new HubMember(system, settings, claims, peerLinks, up.Task);
    }

    /// <summary>Claims <paramref name="payloadId"/> for this member, arrived on <paramref name="linkId"/>; first claim hub-wide wins.</summary>
    public Task<TopicClaimAnswer> ClaimAsync(PayloadId payloadId, string linkId, DateTimeOffset expiresAt, CancellationToken cancel = default) =>
        TopicClaims.Ask<TopicClaimAnswer>(new ClaimTopic(payloadId, new TopicOwner(Address, linkId), expiresAt), Settings.ClaimTimeout, cancel);

    /// <summary>Leaves the hub gracefully (CoordinatedShutdown: shards hand over, member removed, ActorSystem terminated).</summary>
    public Task LeaveAsync() => CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
}
