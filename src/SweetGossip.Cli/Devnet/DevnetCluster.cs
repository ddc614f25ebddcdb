using System.Net;
using System.Net.Sockets;
using SweetGossip.Daemon.Hosting;

namespace SweetGossip.Cli.Devnet;

/// <summary>The Akka.Cluster addresses of a devnet's relay hub: what its members' seed-nodes name.</summary>
public static class DevnetCluster
{
    /// <summary>Every member's actor system is `sgossip` (<see cref="NodeProcess.SystemName"/>).</summary>
    public static string SeedAddress(string host, int port) => $"akka.tcp://{NodeProcess.SystemName}@{host}:{port}";

    /// <summary>
    /// A loopback port free now, for the first member's cluster port: the others must name it before it runs. Another
    /// process could take it in between; then the member cannot bind it and `up` fails saying so (rare on loopback).
    /// </summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
