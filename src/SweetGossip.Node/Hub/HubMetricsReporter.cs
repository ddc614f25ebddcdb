using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using SweetGossip.Node.Core;
using SweetGossip.Node.Observation;

namespace SweetGossip.Node.Hub;

/// <summary>
/// Feeds the operator's cluster gauges (<c>sweetgossip_cluster_members</c>, <c>_shards</c>): members Up as this member
/// sees them, and the topic-claim shards this member hosts, read from the region every interval. Reads only; a region
/// that does not answer in time leaves the last count.
/// </summary>
public sealed class HubMetricsReporter : ReceiveActor, IWithTimers
{
    private sealed record Look
    {
        public static readonly Look Instance = new();
    }

    private readonly IActorRef _topicClaims;
    private int _shards;

    public HubMetricsReporter(IActorRef topicClaims, TimeSpan interval)
    {
        _topicClaims = topicClaims;
        Receive<Look>(_ =>
        {
            Report();
            _topicClaims.Tell(GetShardRegionState.Instance);
        });
        Receive<CurrentShardRegionState>(state =>
        {
            _shards = state.Shards.Count;
            Report();
        });
        Receive<ClusterEvent.IMemberEvent>(_ => Report());
        Receive<ClusterEvent.CurrentClusterState>(_ => Report());
        Timers!.StartPeriodicTimer("look", Look.Instance, TimeSpan.Zero, interval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef topicClaims, TimeSpan interval) => ActorFactory.Props(() => new HubMetricsReporter(topicClaims, interval));

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Report() =>
        NodeMetrics.ReportCluster(Akka.Cluster.Cluster.Get(Context.System).State.Members.Count(m => m.Status == MemberStatus.Up), _shards);
}
