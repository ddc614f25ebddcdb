using System.Net;
using Microsoft.Extensions.Hosting;
using SweetGossip.Daemon.Hosting;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Transport.Tcp;

namespace SweetGossip.Daemon.Control;

/// <summary>
/// The loopback control endpoint of `node run` as a hosted service, started after the node and stopped before it:
/// its token (created at the first start), the HTTP server, and the note that tells local commands where the token is.
/// </summary>
public sealed class ControlService(NodeService node, NodeHostSettings host, DaemonLog log) : IHostedService
{
    private ControlServer? _server;
    private IDisposable? _announcement;

    /// <summary>The base URL it answers at, once started.</summary>
    public string Url => _server?.Url ?? throw new InvalidOperationException("the control endpoint has not started");

    /// <summary>The file holding the bearer token every request must carry.</summary>
    public string TokenFile => ControlToken.PathIn(host.DataDirectory);

    /// <exception cref="StartupException">The token file cannot be made or read, or the address is taken.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var api = new ControlApi(node.Node, node.Replies, host.Lightning.Kind, TimeProvider.System);
        TcpTransport.TryParseListen(host.ControlListen, out var endPoint, out _);
        string token;
        try
        {
            token = ControlToken.CreateOrRead(host.DataDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new StartupException($"sweetgossip.data-directory: {e.Message}");
        }
        try
        {
            _server = await ControlServer.StartAsync(endPoint, api, token);
        }
        catch (IOException e)
        {
            throw new StartupException($"sweetgossip.control.listen: cannot listen on {host.ControlListen}: {e.Message}");
        }
        _announcement = Announce(_server);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _announcement?.Dispose();
        _announcement = null;
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    /// <summary>Tells local `sgossip` commands where this node's token is (<see cref="RunningNodes"/>); without the note they need --control-token-file.</summary>
    private IDisposable? Announce(ControlServer server)
    {
        var listen = new Uri(server.Url);
        try
        {
            return RunningNodes.Announce(new IPEndPoint(IPAddress.Parse(listen.Host.Trim('[', ']')), listen.Port), TokenFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warn($"cannot leave the control note for local commands in {RunningNodes.Directory}: {e.Message}; they need --control-token-file {TokenFile}");
            return null;
        }
    }
}
