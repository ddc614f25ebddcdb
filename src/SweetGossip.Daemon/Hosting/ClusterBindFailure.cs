using System.Net.Sockets;
using Akka.Remote;

namespace SweetGossip.Daemon.Hosting;

/// <summary>
/// A member whose cluster address cannot be bound: Akka.Remote fails the actor system's creation, and the error reaches
/// the host wrapped (the DI factory, the host's own start); this finds it and says which address and why, in one line.
/// </summary>
public static class ClusterBindFailure
{
    /// <summary>The startup error for <paramref name="failure"/> if Akka.Remote could not bind <paramref name="address"/> (host:port); else null.</summary>
    public static StartupException? Describe(Exception failure, string address)
    {
        var chain = Chain(failure).ToList();
        if (!chain.Any(e => e is RemoteTransportException)) return null;
        var reason = chain.OfType<SocketException>().FirstOrDefault()?.Message
            ?? chain.OfType<RemoteTransportException>().Last().Message;
        return new StartupException($"sweetgossip.cluster: cannot bind the cluster address {address}: {reason}");
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        yield return e;
        var inner = e is AggregateException aggregate ? aggregate.InnerExceptions : e.InnerException is { } one ? [one] : (IEnumerable<Exception>)[];
        foreach (var child in inner)
            foreach (var nested in Chain(child))
                yield return nested;
    }
}
