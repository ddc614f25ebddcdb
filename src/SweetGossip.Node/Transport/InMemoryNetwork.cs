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

    public void Register(string address, IActorRef transport) => _transports[address] = transport;

    public void Unregister(string address, IActorRef transport) => _transports.TryRemove(new KeyValuePair<string, IActorRef>(address, transport));

    public IActorRef? Lookup(string address) => _transports.TryGetValue(address, out var transport) ? transport : null;
}
