using System.Net;
using Akka.Actor;
using Microsoft.Extensions.Hosting;
using SweetGossip.Daemon.Hosting;

namespace SweetGossip.LightningHub;

/// <summary>
/// The hub as a hosted service: replays its journal into the ledger, then opens the HTTP face. Stopping closes the
/// HTTP face; the journal stops with the actor system after it (CoordinatedShutdown), so every answered event is written.
/// </summary>
public sealed class HubService(ActorSystem system, HubSettings settings, IPEndPoint endPoint, string token, Action<string> log) : IHostedService
{
    private HubServer? _server;

    /// <summary>The hub and what recovery found, once started.</summary>
    public (LightningHub Hub, HubRecovery Recovery) Started { get; private set; }

    public string Url => _server?.Url ?? throw new InvalidOperationException("the hub has not started");

    /// <exception cref="StartupException">The port is taken.</exception>
    /// <exception cref="InvalidDataException">The journal cannot be replayed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Started = await LightningHub.StartAsync(system, settings, log);
        try
        {
            _server = await HubServer.StartAsync(endPoint, Started.Hub, token);
        }
        catch (IOException e)
        {
            throw new StartupException($"--listen: cannot listen on {endPoint}: {e.Message}");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }
}
