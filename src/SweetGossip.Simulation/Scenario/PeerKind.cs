namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// What a peer is in its scenario. Every peer relays. Taxi: drivers reply, riders originate. Jobs: workers
/// reply, clients originate.
/// </summary>
public enum PeerKind
{
    Rider,
    Driver,
    Client,
    Worker,
}
