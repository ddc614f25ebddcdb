using System.Collections.Concurrent;
using Akka.Actor;

namespace SweetGossip.Node.Transport;

/// <summary>
/// The address book of an in-process network: which transport answers at which address. Stands in for
/// DNS and TCP when many nodes live in one process (tests, the simulator).
/// </summary>
public sealed class InMemoryNetwork
{
    private readonly ConcurrentDictionary<string, IActorRef> _transports = new(StringComparer.Ordinal);

    /// <summary>Delay of every frame between two addresses; none (delivered at once) when null.</summary>
    public ILinkLatency? Latency { get; init; }

    /// <summary>Carries messages between nodes when they may run on different threads; none (direct) when null.</summary>
    public IInMemoryCourier? Courier { get; init; }

    /// <summary>
    /// Each link end runs its connection's <see cref="Peers.PeerSession"/> itself instead of a <c>PeerConnection</c> actor
    /// (≈ 1 KB less per link: the simulator's memory per peer). Needs <see cref="Latency"/> or <see cref="Courier"/>, and
    /// one thread per node's links (the simulator's): the session runs in the thread that tells its link end.
    /// </summary>
    public bool ConnectionsInLinkEnds { get; init; }

    /// <summary>
    /// The nodes are the simulator's, which never restart: a node keeps no seen-payloads journal (nothing would ever be
    /// recovered from it) and runs its one PoW worker as a <see cref="Pow.PowWorkerRef"/> instead of an actor (2 actors
    /// and a watch less per simulated peer). Real nodes and tests that restart nodes keep both actors.
    /// </summary>
    public bool SimulatorNodes { get; init; }

    public void Register(string address, IActorRef transport) => _transports[address] = transport;

    public void Unregister(string address, IActorRef transport) => _transports.TryRemove(new KeyValuePair<string, IActorRef>(address, transport));

    public IActorRef? Lookup(string address) => _transports.TryGetValue(address, out var transport) ? transport : null;
}
