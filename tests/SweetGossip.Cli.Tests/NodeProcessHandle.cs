using System.Diagnostics;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// One `sgossip node run` child process (the built sgossip.dll under `dotnet`), its stdout lines kept and
/// awaitable: tests wait for what the node logs, never for time to pass.
/// </summary>
public sealed class NodeProcessHandle : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeProcessHandle(string name, Process process) => (Name, _process) = (name, process);

    public string Name { get; }

    public static NodeProcessHandle Start(string name, string configFile) =>
        StartCommand(name, Path.GetDirectoryName(configFile)!, "node", "run", "--config", configFile);

    /// <summary>`sgossip args…` as a child process (e.g. `ln hub`), in <paramref name="workingDirectory"/>.</summary>
    public static NodeProcessHandle StartCommand(string name, string workingDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "sgossip.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in (string[])[dll, .. args]) start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var handle = new NodeProcessHandle(name, process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) handle.OnLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) handle.OnLine("stderr: " + e.Data); };
        process.Exited += (_, _) => handle.OnExited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return handle;
    }

    public bool HasExited => _exited.Task.IsCompleted;

    public string Output
    {
        get
        {
            lock (_lines) return string.Join('\n', _lines);
        }
    }

    /// <summary>The first line (already logged or still to come) that <paramref name="match"/> accepts.</summary>
    public async Task<string> LineAsync(Func<string, bool> match, string what)
    {
        TaskCompletionSource<string> found = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            if (_lines.FirstOrDefault(match) is { } line) return line;
            _waiters.Add((match, found));
        }
        try
        {
            return await found.Task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"{Name} never logged {what}; its output:\n{Output}");
        }
    }

    /// <summary>Waits until <paramref name="count"/> lines match (e.g. links up).</summary>
    public async Task LinesAsync(Func<string, bool> match, int count, string what)
    {
        var seen = 0;
        await LineAsync(l => match(l) && ++seen >= count, $"{count} × {what}");
    }

    /// <summary>SIGTERM, as `docker stop` or systemd would send; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        if (_frozen) Continue();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        try
        {
            await _exited.Task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"{Name} did not exit after SIGTERM; its output:\n{Output}");
        }
        await _process.WaitForExitAsync(); // drains the output
        return _process.ExitCode;
    }

    /// <summary>kill -9: the process dies at once, mid-whatever, as in a power cut; waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _exited.Task.WaitAsync(Patience);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the process is frozen (no thread runs; its sockets stay open) until <see cref="Continue"/>.</summary>
    public void Freeze()
    {
        Signal(SigStop);
        _frozen = true;
    }

    /// <summary>SIGCONT: a frozen process runs on where it stopped.</summary>
    public void Continue()
    {
        Signal(SigCont);
        _frozen = false;
    }

    private bool _frozen;

    private const int SigStop = 19;
    private const int SigCont = 18;

    private void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private void OnLine(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Found.TrySetResult(line);
            }
        }
    }

    private void OnExited()
    {
        _exited.TrySetResult();
        lock (_lines)
        {
            foreach (var waiter in _waiters)
                waiter.Found.TrySetException(new Xunit.Sdk.XunitException($"{Name} exited; its output:\n{string.Join('\n', _lines)}"));
            _waiters.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
