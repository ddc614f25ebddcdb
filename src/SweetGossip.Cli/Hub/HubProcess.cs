using System.Net;
using SweetGossip.Cli.Hosting;
using SweetGossip.Node.Transport.Tcp;

namespace SweetGossip.Cli.Hub;

/// <summary>
/// `sgossip ln hub`: one shared embedded Lightning network served over HTTP/JSON until Ctrl-C or SIGTERM,
/// so that nodes in separate processes (`sweetgossip.node.lightning.kind = hub`) pay one another.
/// Logs one line per node registration; prints <c>ready listen=http://…</c> once it answers.
/// </summary>
public static class HubProcess
{
    private const string Source = "hub";

    public static async Task<int> RunAsync(string listen, string? dataDirectory, bool allowRemote, TextWriter output, CancellationToken cancel)
    {
        if (!TcpTransport.TryParseListen(listen, out var endPoint, out var error))
            throw new CliException($"--listen: {error}");
        if (!allowRemote && !IPAddress.IsLoopback(endPoint.Address))
            throw new CliException($"--listen: '{listen}': the hub has no authentication (anyone who reaches it moves any node's money), so it binds a loopback address unless --allow-remote is given");
        var data = dataDirectory is null ? null : Path.GetFullPath(dataDirectory);
        var sync = new object();
        void Log(string level, string message)
        {
            lock (sync) output.WriteLine(LineLogger.Format(DateTime.UtcNow, level, Source, message));
        }
        using var hub = new LightningHub(data, log: message => Log("INFO", message));
        HubServer server;
        try
        {
            server = await HubServer.StartAsync(endPoint, hub);
        }
        catch (IOException e)
        {
            throw new CliException($"--listen: cannot listen on {listen}: {e.Message}");
        }
        await using (server)
        {
            Log("INFO", $"ready listen={server.Url} data={data ?? "(memory)"}");
            try
            {
                await Task.Delay(Timeout.Infinite, cancel);
            }
            catch (OperationCanceledException)
            {
                Log("INFO", "shutting down");
            }
        }
        Log("INFO", "stopped");
        return 0;
    }
}
