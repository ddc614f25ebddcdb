using Akka.Actor;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Transport;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Simulation.Runner;

/// <summary>
/// Starts an honest simulated node as <see cref="NodeHost.StartInMemory"/> does, but with a score book the runner
/// holds, so that it can read every node's opinion of its peers (<see cref="PeerEventRecorder"/>).
/// </summary>
internal static class SimulatedNode
{
    public static RunningNode StartInMemory(IActorRefFactory system, string name, NodeSettings settings, PeerScoreBook scores, ILightningNode lightning,
        InMemoryNetwork network, TimeProvider clock, SettlementSettings settlementSettings)
    {
        var settlement = system.ActorOf(SettlementActor.Props("settlement-" + name, lightning, clock, settlementSettings), name + "-settlement");
        var screen = NodeHost.Screen(settings);
        var transport = system.ActorOf(InMemoryTransport.Props(network, settings.ContactAddress, settings.Identity.PublicKey, clock, scores, settings.PeerFramesPerSecond, settings.PeerBurst, screen), name + "-transport");
        network.Register(settings.ContactAddress, transport);
        var node = system.ActorOf(NodeActor.Props(settings, clock, settlement, transport, lightning.NodeId, screen, scores), name);
        return new RunningNode(name, node, settlement, transport, lightning);
    }
}
