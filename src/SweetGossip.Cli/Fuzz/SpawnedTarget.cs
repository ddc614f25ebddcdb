using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using SweetGossip.Cli.Files;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cli.Fuzz;

/// <summary>
/// The target of `sgossip fuzz --spawn`: a real `sgossip node run` child process on loopback, with its own key,
/// certificate and data folder, trusting the fuzz run's authority, otherwise on the node's defaults (but a fanout
/// wide enough that the honest sink is always among the peers it relays to, however many fuzz links are up, and
/// cheap proofs of work so honest topics do not wait on hashing). Its log is counted by level as it comes, not kept,
/// except the first error lines and the last lines (for a failure's message).
/// </summary>
public sealed class SpawnedTarget : IAsyncDisposable
{
    private const int KeptErrors = 10;
    private const int KeptTail = 40;

    private readonly Process _process;
    private readonly TimeSpan _patience;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _sync = new();
    private readonly List<string> _errors = [];
    private readonly Queue<string> _tail = new();
    private long _lines;
    private long _warnings;
    private long _errorCount;
    private long _penalties;
    private long _badRecords;

    // PeerConnection's warning for a frame it judged: "peer 0123456789ab: MalformedFrame: …".
    private static readonly System.Text.RegularExpressions.Regex Penalty = new(@" peer [0-9a-f]{12}: [A-Za-z]+: ", System.Text.RegularExpressions.RegexOptions.Compiled);

    private StreamWriter? _log;

    private SpawnedTarget(Process process, TimeSpan patience, StreamWriter? log) => (_process, _patience, _log) = (process, patience, log);

    public int Pid => _process.Id;

    public IPEndPoint EndPoint { get; private set; } = null!;

    public PublicKey Identity { get; private set; } = null!;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Writes the node's files into <paramref name="directory"/>, starts it and waits for its ready line.</summary>
    /// <param name="keepLog">Also write every line the node logs to node.log in <paramref name="directory"/>.</param>
    public static async Task<SpawnedTarget> StartAsync(string directory, int seed, CertificateAuthority authority, TimeSpan patience, bool keepLog, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var key = FuzzMaterial.Derive(seed, "target", 0);
        var now = DateTimeOffset.UtcNow;
        JsonFile.Write(Path.Combine(directory, "node.key"), KeyFile.From(key));
        JsonFile.Write(Path.Combine(directory, "node.cert"), WireFile.Of(authority.Issue(key.PublicKey, "relay", [], now.AddDays(-1), now.AddDays(30))));
        var config = Path.Combine(directory, "node.conf");
        File.WriteAllText(config, $$"""
            sweetgossip {
              data-directory = "data"
              node {
                listen = "127.0.0.1:0"
                identity-key-file = "node.key"
                certificate-file = "node.cert"
                trusted-authorities = [{ name = "{{authority.Name}}", public-key = "{{authority.PublicKey.ToHex()}}" }]
                fanout = 8
                pow { base-difficulty = 8, workers = 1 }
              }
              control.listen = "127.0.0.1:0"
            }
            """);

        var start = new ProcessStartInfo(SelfProgram.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var arg in (string[])[.. SelfProgram.Prefix, "node", "run", "--config", config]) start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var target = new SpawnedTarget(process, patience, keepLog ? new StreamWriter(Path.Combine(directory, "node.log")) : null);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) target.OnLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) target.OnLine("stderr: " + e.Data); };
        process.Exited += (_, _) =>
        {
            target._exited.TrySetResult();
            if (target._ready.Task.IsCompleted) return;
            process.WaitForExit(); // drains the output, so the message has its last lines
            target._ready.TrySetException(new CliException($"the spawned node exited before it was ready; its last lines: {target.Tail()}"));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var ready = await target._ready.Task.WaitAsync(patience, ct);
            if (!PeerAddress.TryParse(Field(ready, "listen"), out var listen, out var error) || listen.EndPoint is not IPEndPoint endPoint)
                throw new CliException($"the spawned node's ready line has no listen address ({error}): {ready}");
            target.EndPoint = endPoint;
            target.Identity = PublicKey.FromHex(Field(ready, "identity"));
            return target;
        }
        catch (TimeoutException)
        {
            await target.DisposeAsync();
            throw new CliException($"the spawned node did not get ready within {patience.TotalSeconds:0} s; its last lines: {target.Tail()}");
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    public double? ResidentMb() => HasExited ? null : ProcessMemory.ResidentMb(_process.Id);

    /// <summary>The log so far (see <see cref="NodeLog"/>).</summary>
    public NodeLog Log()
    {
        lock (_sync) return new NodeLog(_lines, _warnings, _errorCount, _penalties, _badRecords, [.. _errors]);
    }

    /// <summary>The last lines the node wrote, for an error message.</summary>
    public string Tail()
    {
        lock (_sync) return string.Join(" | ", _tail);
    }

    /// <summary>SIGTERM, as an operator's stop would send; its exit code, or null if it had to be killed.</summary>
    public async Task<int?> StopAsync()
    {
        if (!HasExited && SendSignal(_process.Id, 15) != 0 && !HasExited)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            await _exited.Task.WaitAsync(_patience);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            return null;
        }
        await _process.WaitForExitAsync(); // drains the output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_sync)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private void OnLine(string line)
    {
        lock (_sync)
        {
            _lines++;
            // "2026-11-24T18:00:00.000Z LEVEL source  message": the level is the second word.
            var level = line.Split(' ', 3) is { Length: >= 2 } parts ? parts[1] : "";
            if (level == "WARN") _warnings++;
            if (Penalty.IsMatch(line)) _penalties++;
            else if (line.Contains(": bad record: ", StringComparison.Ordinal)) _badRecords++;
            else if (level == "ERROR" || line.StartsWith("stderr: ", StringComparison.Ordinal))
            {
                _errorCount++;
                if (_errors.Count < KeptErrors) _errors.Add(line);
            }
            _log?.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > KeptTail) _tail.Dequeue();
        }
        if (line.Contains(" ready listen=", StringComparison.Ordinal)) _ready.TrySetResult(line);
    }

    /// <summary>The value of <c>key=value</c> in a log line.</summary>
    private static string Field(string line, string key) =>
        line.Split(' ').FirstOrDefault(part => part.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..]
        ?? throw new CliException($"the spawned node's ready line has no {key}=: {line}");

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}

/// <summary>
/// What the spawned node logged: counts by level, the frames it logged a penalty for and the records it refused
/// (both read from its log lines' wording, so they say nothing if that wording changes), and its first error lines.
/// </summary>
public sealed record NodeLog(long Lines, long Warnings, long Errors, long Penalties, long BadRecords, IReadOnlyList<string> ErrorSamples);
