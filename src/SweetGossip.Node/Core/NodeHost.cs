using Akka.Actor;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Transport;

namespace SweetGossip.Node.Core;

/// <summary>The actors of one node, started together: settlement, transport, node guardian.</summary>
public sealed record RunningNode(string Name, IActorRef Node, IActorRef Settlement, IActorRef Transport, ILightningNode Lightning);

public static class NodeHost
{
    /// <summary>Starts a node on an in-process network (tests and the simulator).</summary>
    public static RunningNode StartInMemory(IActorRefFactory system, string name, NodeSettings settings, ILightningNode lightning, InMemoryNetwork network, TimeProvider clock, TimeSpan? sweepInterval = null)
    {
        var settlement = system.ActorOf(SettlementActor.Props("settlement-" + name, lightning, clock, sweepInterval ?? TimeSpan.FromSeconds(1)), name + "-settlement");
        var transport = system.ActorOf(InMemoryTransport.Props(network, settings.ContactAddress, settings.Identity.PublicKey, clock, settings.Scoring), name + "-transport");
        // Registered now, not in the actor's PreStart, so a node started next can reach it at once.
        network.Register(settings.ContactAddress, transport);
        var node = system.ActorOf(NodeActor.Props(settings, clock, settlement, transport), name);
        return new RunningNode(name, node, settlement, transport, lightning);
    }
}
