using Akka.Actor;
using Akka.Cluster.Routing;
using Akka.Routing;
using SweetGossip.Cluster.Hosting;

namespace SweetGossip.Cluster.Pow;

/// <summary>
/// The hub's proof-of-work workers as an Akka.Cluster router pool: routees are deployed on every member with the hub
/// role (at most <see cref="HubClusterSettings.PowInstancesPerMember"/> each), so the proofs one member needs are
/// solved on all members' cores, and members that join get routees too.
/// </summary>
public static class HubPowPool
{
    /// <summary>
    /// Round robin: a remote routee's mailbox size cannot be seen from the router, so smallest-mailbox (the local pool's
    /// choice) would not spread across members.
    /// </summary>
    /// <param name="dispatcher">The routees' dispatcher id; it must exist on every member (the node's PoW dispatcher).</param>
    public static Props Props(HubClusterSettings settings, string dispatcher) =>
        Akka.Actor.Props.Create<HubPowWorker>().WithDispatcher(dispatcher).WithRouter(new ClusterRouterPool(
            new RoundRobinPool(0),
            new ClusterRouterPoolSettings(settings.PowTotalInstances, settings.PowInstancesPerMember, allowLocalRoutees: true, AkkaClusterConfig.MemberRole)));
}
