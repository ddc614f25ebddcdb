using Akka.Actor;

namespace SweetGossip.Node.Transport;

/// <summary>
/// Carries every message between two nodes of an <see cref="InMemoryNetwork"/> when the nodes may run
/// on different threads (a partitioned simulation): frames at their link's arrival time, and the link
/// set-up messages after a set-up delay, so nothing crosses between nodes at zero latency. Without one,
/// links schedule frames themselves and transports answer each other directly.
/// </summary>
public interface IInMemoryCourier
{
    /// <summary>Delivers <paramref name="message"/> to <paramref name="target"/> (an actor of the node at <paramref name="to"/>) at <paramref name="arrival"/>.</summary>
    void Send(string from, string to, DateTimeOffset arrival, IActorRef target, object message, IActorRef sender);

    /// <summary>
    /// Delivers a link set-up message after the set-up delay from <paramref name="from"/> to <paramref name="to"/>:
    /// to <paramref name="target"/>, or (when null) to whichever transport answers at <paramref name="to"/> when it
    /// arrives; if none does, <paramref name="undeliverable"/> comes back to <paramref name="sender"/> after the same delay.
    /// </summary>
    void SendSetup(string from, string to, IActorRef? target, object message, IActorRef sender, object? undeliverable);
}
