using System.Net;
using SweetGossip.Daemon.Hosting;
using SweetGossip.Node.Transport.Tcp;

namespace SweetGossip.LightningHub;

/// <summary>
/// `sgossip ln hub`: one shared embedded Lightning network served over HTTP/JSON until Ctrl-C or SIGTERM,
/// so that nodes in separate processes (`sweetgossip.node.lightning.kind = hub`) pay one another. Its ledger is
/// journaled in --data (or the database its --config names) and comes back on restart; its token is in --data.
/// Prints <c>ready listen=http://… data=… token-file=…</c> once it answers.
/// </summary>
public static class HubProcess
{
    private const string Source = "hub";

    public static async Task<int> RunAsync(string listen, string dataDirectory, string? configFile, bool allowRemote, TextWriter output, CancellationToken cancel)
    {
        if (!TcpTransport.TryParseListen(listen, out var endPoint, out var error))
            throw new StartupException($"--listen: {error}");
        if (!allowRemote && !IPAddress.IsLoopback(endPoint.Address))
            throw new StartupException($"--listen: '{listen}': the hub speaks plain HTTP (its token and every payment cross the network in clear), so it binds a loopback address unless --allow-remote is given");
        string? hocon = null;
        if (configFile is not null)
        {
            try
            {
                hocon = File.ReadAllText(configFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StartupException($"--config: {e.Message}");
            }
        }
        var log = new DaemonLog(output, Source);
        HubHost host;
        try
        {
            host = await HubHost.StartAsync(endPoint, dataDirectory, hocon, log.Info);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            throw new StartupException(e.Message); // the journal could not be read (database unreachable, unreadable record)
        }
        var exitCode = 0;
        await using (host)
        {
            log.Info($"recovered {host.Recovered}");
            log.Info($"ready listen={host.Url} data={host.DataDirectory} token-file={host.TokenFile}");
            var journalStopped = host.Hub.Stopped;
            try
            {
                // SIGTERM and Ctrl-C: System.CommandLine cancels the command, and the host is stopped below.
                var failed = await Task.WhenAny(journalStopped, host.Stopping).WaitAsync(cancel);
                log.Error(failed == journalStopped
                    ? "the hub's journal stopped: no change can be recorded, so the hub stops"
                    : "the actor system terminated on its own");
                exitCode = 1;
            }
            catch (OperationCanceledException)
            {
                log.Info("shutting down");
            }
        }
        log.Info("stopped");
        return exitCode;
    }
}
