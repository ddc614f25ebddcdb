namespace SweetGossip.Simulation.Scenario;

/// <summary>What a peer is in the taxi scenario. Every peer relays; drivers also reply, riders originate.</summary>
public enum PeerKind
{
    Rider,
    Driver,
}
