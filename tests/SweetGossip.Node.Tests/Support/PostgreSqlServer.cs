using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SweetGossip.Node.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster in a temp directory on a free loopback port, run as the `postgres` user
/// (the server refuses root). The machine image ships PostgreSQL 15; .ci/run installs it where missing.
/// </summary>
public sealed class PostgreSqlServer : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sweetgossip-pg-" + Guid.NewGuid().ToString("N"));
    private readonly string _bin;

    public PostgreSqlServer()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderDescending().FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")))
              ?? throw new InvalidOperationException("no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)")
            : throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql)");
        Directory.CreateDirectory(_directory);
        try
        {
            Start();
        }
        catch
        {
            // pg_ctl may have given up waiting on a server that still runs.
            try { AsPostgres("pg_ctl", $"-D {_directory}/data -m immediate stop"); } catch (InvalidOperationException) { }
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
            throw;
        }
    }

    private void Start()
    {
        Run("chown", $"postgres {_directory}");
        AsPostgres("initdb", $"-D {_directory}/data -A trust -U sg");
        // The free port is let go before the server binds it, and tests running beside this one bind port 0 too: one
        // may take it first. The server then fails to start, saying so in its log (in English: lc_messages=C); it tries
        // again on another port.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            var logged = LogLength();
            try
            {
                AsPostgres("pg_ctl", $"-D {_directory}/data -o \"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c lc_messages=C\" -l {_directory}/log -w start");
                return;
            }
            catch (InvalidOperationException) when (attempt < 5 && LogSince(logged).Contains("could not bind IPv4 address \"127.0.0.1\": Address already in use", StringComparison.Ordinal))
            {
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"{e.Message}\nserver log:\n{LogSince(logged)}", e);
            }
        }
    }

    public int Port { get; private set; }

    private string LogPath => Path.Combine(_directory, "log");

    private long LogLength() => File.Exists(LogPath) ? new FileInfo(LogPath).Length : 0;

    /// <summary>What the server logged from byte <paramref name="from"/> on.</summary>
    private string LogSince(long from)
    {
        if (!File.Exists(LogPath)) return "";
        using var log = File.OpenRead(LogPath);
        log.Seek(from, SeekOrigin.Begin);
        using var reader = new StreamReader(log);
        return reader.ReadToEnd();
    }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=sg;Database=postgres;Pooling=false";

    public void Dispose()
    {
        try
        {
            AsPostgres("pg_ctl", $"-D {_directory}/data -m immediate stop");
        }
        finally
        {
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        }
    }

    private void AsPostgres(string tool, string arguments) => Run("runuser", $"-u postgres -- {Path.Combine(_bin, tool)} {arguments}");

    private static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {error}{output.Result}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
