using Akka.Actor;
using Akka.Cluster.Sharding;
using SweetGossip.Cluster.Hosting;

namespace SweetGossip.Cluster.Claims;

/// <summary>
/// The hub-wide "first claim wins" decision per payload, as Akka.Cluster.Sharding entities keyed by payload id. Every
/// member runs a region; a claim sent to any region reaches the one entity of that payload, wherever its shard lives.
/// </summary>
public static class TopicShard
{
    public const string TypeName = "topic-claims";

    /// <summary>Starts this member's region (once per ActorSystem) and returns it: send <see cref="ClaimTopic"/> to it.</summary>
    public static IActorRef Start(ActorSystem system, HubClusterSettings settings, TimeProvider? clock = null)
    {
        var retention = new TopicClaimRetention(settings.MinClaimRetention, settings.MaxClaimRetention, clock ?? TimeProvider.System);
        var sharding = ClusterSharding.Get(system);
        var shardingSettings = ClusterShardingSettings.Create(system);
        return sharding.Start(
            TypeName,
            TopicClaimActor.Props(retention),
            shardingSettings,
            new TopicShardExtractor(settings.TopicShards),
            sharding.DefaultShardAllocationStrategy(shardingSettings),
            HandOffClaim.Instance);
    }
}
