using Akka.Actor;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Transport;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Simulation.Adversaries;

/// <summary>Starts an attacker on an in-process network: as <see cref="NodeHost.StartInMemory"/> does a node, with an <see cref="AdversaryPeer"/> on its links.</summary>
internal static class AdversaryHost
{
    /// <returns>The attacker's actors; <see cref="RunningNode.Node"/> is the adversary peer, which hands what it is told to its node.</returns>
    public static RunningNode StartInMemory(IActorRefFactory system, string name, NodeSettings settings, AttackRules rules, ILightningNode lightning,
        InMemoryNetwork network, TimeProvider clock, SettlementSettings settlementSettings, Entropy entropy, PeerScoreBook? scores = null)
    {
        var guardian = NodeGuardian.Start(system, name);
        var settlement = NodeGuardian.Adopt(guardian, SettlementActor.Props("settlement-" + name, lightning, clock, settlementSettings), NodeGuardian.SettlementName);
        var screen = NodeHost.Screen(settings);
        scores ??= NodeHost.ScoreBook(settings);
        var transport = NodeGuardian.Adopt(guardian, InMemoryTransport.Props(network, settings.ContactAddress, settings.Identity.PublicKey, clock, scores, settings.PeerFramesPerSecond, settings.PeerBurst, screen), NodeGuardian.TransportName);
        network.Register(settings.ContactAddress, transport);
        var adversary = NodeGuardian.Adopt(guardian, AdversaryPeer.Props(settings, rules, clock, transport, settlement, lightning.NodeId, screen, scores, entropy), NodeGuardian.NodeName);
        return new RunningNode(name, adversary, settlement, transport, lightning, guardian);
    }
}
