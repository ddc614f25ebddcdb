using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweetGossip.Daemon.Hosting;
using SweetGossip.Lightning.Remote;
using SweetGossip.Node.Hosting;

namespace SweetGossip.LightningHub;

/// <summary>
/// One running hub: its data directory (token, SQLite journal), and a generic host (<see cref="DaemonHost"/>) whose
/// actor system holds its journal, with the ledger recovered from it and the HTTP face on top (<see cref="HubService"/>).
/// `sgossip ln hub` runs one; tests run them in-process too.
/// </summary>
public sealed class HubHost : IAsyncDisposable
{
    private const string LockFile = "hub.lock";

    private readonly IHost _host;
    private readonly FileStream _lock;

    private HubHost(IHost host, FileStream dataLock, LightningHub hub, string url, string dataDirectory, string tokenFile, HubRecovery recovered)
    {
        (_host, _lock, Hub, Url, DataDirectory, TokenFile, Recovered) = (host, dataLock, hub, url, dataDirectory, tokenFile, recovered);
    }

    public LightningHub Hub { get; }

    /// <summary>The base URL it answers on.</summary>
    public string Url { get; }

    public string DataDirectory { get; }

    /// <summary>The file holding the bearer token every request must carry.</summary>
    public string TokenFile { get; }

    /// <summary>What recovery found: nodes, the snapshot it started from, events replayed after it.</summary>
    public HubRecovery Recovered { get; }

    /// <param name="dataDirectory">Created (owner only) if missing: the token and, unless the config names another database, the SQLite journal.</param>
    /// <param name="operatorHocon">The operator's config (<c>--config</c>), if any.</param>
    /// <exception cref="StartupException">Bad data directory, token file or config; the port is taken.</exception>
    /// <exception cref="InvalidDataException">The journal cannot be replayed.</exception>
    public static async Task<HubHost> StartAsync(IPEndPoint endPoint, string dataDirectory, string? operatorHocon, Action<string> log)
    {
        var data = Path.GetFullPath(dataDirectory);
        string token;
        FileStream dataLock;
        try
        {
            SecretFile.CreateDirectory(data);
            dataLock = Lock(data);
            token = Daemon.Hosting.TokenFile.CreateOrRead(Path.Combine(data, HubToken.FileName), "hub token");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"--data: {e.Message}");
        }
        Config config;
        HubSettings settings;
        try
        {
            config = HubConfig.Build(operatorHocon, data);
            settings = HubConfig.Settings(config);
        }
        catch
        {
            await dataLock.DisposeAsync();
            throw;
        }
        var builder = DaemonHost.CreateBuilder("sgossip-hub", config);
        builder.Services.AddSingleton(services => new HubService(services.GetRequiredService<ActorSystem>(), settings, endPoint, token, log));
        builder.Services.AddHostedService(services => services.GetRequiredService<HubService>());
        var host = builder.Build();
        try
        {
            await DaemonHost.StartAsync(host, CancellationToken.None);
        }
        catch
        {
            host.Dispose();
            await dataLock.DisposeAsync();
            throw;
        }
        var service = host.Services.GetRequiredService<HubService>();
        return new HubHost(host, dataLock, service.Started.Hub, service.Url, data, Path.Combine(data, HubToken.FileName), service.Started.Recovery);
    }

    /// <summary>One hub per data directory: two writing one journal would interleave their events.</summary>
    private static FileStream Lock(string data)
    {
        var path = Path.Combine(data, LockFile);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = SecretFile.OwnerOnly; // empty, but in a directory of secrets
            return new FileStream(path, options);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new IOException($"another hub is running on {data} ({LockFile} is locked)", e);
        }
    }

    /// <summary>Completes when the host stops without being asked to (its actor system ended).</summary>
    public Task Stopping => DaemonHost.StoppingAsync(_host);

    /// <summary>Stops answering, then stops the journal (every event already answered is written).</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        await _lock.DisposeAsync();
    }
}
