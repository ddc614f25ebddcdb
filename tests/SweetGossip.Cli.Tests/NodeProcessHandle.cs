using SweetGossip.Cli.Chaos;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// One `sgossip node run` child process (the built sgossip.dll under `dotnet`), its stdout lines kept and
/// awaitable: tests wait for what the node logs, never for time to pass. The test face of <see cref="ChildProcess"/>
/// (the one `sgossip chaos` uses): its waits fail the test with the process's output.
/// </summary>
public sealed class NodeProcessHandle : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ChildProcess _process;

    private NodeProcessHandle(ChildProcess process) => _process = process;

    public string Name => _process.Name;

    public static NodeProcessHandle Start(string name, string configFile) =>
        StartCommand(name, Path.GetDirectoryName(configFile)!, "node", "run", "--config", configFile);

    /// <summary>`sgossip args…` as a child process (e.g. `ln hub`), in <paramref name="workingDirectory"/>.</summary>
    public static NodeProcessHandle StartCommand(string name, string workingDirectory, params string[] args) =>
        new(ChildProcess.Start(name, workingDirectory, null, Patience, args));

    public string Output => _process.Output;

    public bool HasExited => _process.HasExited;

    /// <summary>The first line (already logged or still to come) that <paramref name="match"/> accepts.</summary>
    public Task<string> LineAsync(Func<string, bool> match, string what) => AsTestFailure(() => _process.LineAsync(match, what));

    /// <summary>Waits until <paramref name="count"/> lines match (e.g. links up).</summary>
    public Task LinesAsync(Func<string, bool> match, int count, string what) =>
        AsTestFailure(async () => { await _process.LinesAsync(match, count, what); return 0; });

    /// <summary>Waits for the process to end by itself (a refused start) and returns its exit code.</summary>
    public Task<int> ExitCodeAsync() => AsTestFailure(async () => { await _process.WaitForExitAsync(); return _process.ExitCode; });

    /// <summary>SIGTERM, as `docker stop` or systemd would send; returns the exit code.</summary>
    public Task<int> TerminateAsync() => AsTestFailure(_process.TerminateAsync);

    /// <summary>kill -9: the process dies at once, mid-whatever, as in a power cut; waits until it is gone.</summary>
    public Task KillAsync() => AsTestFailure(async () => { await _process.KillAsync(); return 0; });

    /// <summary>SIGSTOP: the process is frozen (no thread runs; its sockets stay open) until <see cref="Continue"/>.</summary>
    public void Freeze() => _process.Freeze();

    /// <summary>SIGCONT: a frozen process runs on where it stopped.</summary>
    public void Continue() => _process.Continue();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static async Task<T> AsTestFailure<T>(Func<Task<T>> wait)
    {
        try
        {
            return await wait();
        }
        catch (TimeoutException e)
        {
            throw new Xunit.Sdk.XunitException(e.Message);
        }
    }
}
