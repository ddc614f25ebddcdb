using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SweetGossip.Cli.Chaos;

/// <summary>
/// One `sgossip …` child process (this very program), its output lines kept and awaitable: callers wait for
/// what a process logs, never for time to pass. Killing is SIGKILL (kill -9); stopping is SIGTERM.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process, TimeSpan patience) => (Name, _process, Patience) = (name, process, patience);

    public string Name { get; }

    /// <summary>How long <see cref="LineAsync"/> and the stops wait before giving up, with the output in the message.</summary>
    public TimeSpan Patience { get; }

    public bool HasExited => _exited.Task.IsCompleted;

    public Task Exited => _exited.Task;

    /// <summary>The exit code, once <see cref="WaitForExitAsync()"/> has returned.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts `sgossip args…` in <paramref name="workingDirectory"/>, with extra environment variables.</summary>
    public static ChildProcess Start(string name, string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan patience, params string[] args)
    {
        var (program, prefix) = Self();
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in (string[])[.. prefix, .. args]) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, patience);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) child.OnLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child.OnLine("stderr: " + e.Data); };
        process.Exited += (_, _) => child.OnExited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>How to run this program again: its apphost, or `dotnet sgossip.dll` when it runs under the dotnet host (or in tests).</summary>
    private static (string Program, string[] Prefix) Self()
    {
        var host = Environment.ProcessPath;
        if (host is not null && Path.GetFileNameWithoutExtension(host).Equals("sgossip", StringComparison.Ordinal))
            return (host, []);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH")
            ?? (host is not null && Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.Ordinal) ? host : "dotnet");
        return (dotnet, [Path.Combine(AppContext.BaseDirectory, "sgossip.dll")]);
    }

    public string Output
    {
        get
        {
            lock (_lines) return string.Join('\n', _lines);
        }
    }

    /// <summary>How many lines logged so far match.</summary>
    public int Count(Func<string, bool> match)
    {
        lock (_lines) return _lines.Count(match);
    }

    /// <summary>The first line (already logged or still to come) that <paramref name="match"/> accepts.</summary>
    /// <exception cref="TimeoutException">Not within <see cref="Patience"/>, or the process exited first; the message holds its output.</exception>
    public async Task<string> LineAsync(Func<string, bool> match, string what)
    {
        TaskCompletionSource<string> found = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            if (_lines.FirstOrDefault(match) is { } line) return line;
            if (HasExited) throw new TimeoutException($"{Name} exited without logging {what}; its output:\n{string.Join('\n', _lines)}");
            _waiters.Add((match, found));
        }
        try
        {
            return await found.Task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} never logged {what}; its output:\n{Output}");
        }
    }

    /// <summary>Waits until <paramref name="count"/> lines match.</summary>
    public async Task LinesAsync(Func<string, bool> match, int count, string what)
    {
        var seen = 0;
        await LineAsync(l => match(l) && ++seen >= count, $"{count} × {what}");
    }

    /// <summary>SIGTERM, as systemd or `docker stop` send; waits for the exit and returns its code.</summary>
    public async Task<int> TerminateAsync()
    {
        if (!HasExited)
        {
            Signal(18); // a frozen process cannot act on SIGTERM
            Signal(15);
        }
        await WaitForExitAsync("after SIGTERM");
        return _process.ExitCode;
    }

    /// <summary>kill -9: the process dies at once, mid-whatever; waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!HasExited) _process.Kill(entireProcessTree: false);
        await WaitForExitAsync("after SIGKILL");
    }

    /// <summary>Waits for the process to end by itself (e.g. at a crash point).</summary>
    public Task WaitForExitAsync() => WaitForExitAsync("on its own");

    private async Task WaitForExitAsync(string how)
    {
        try
        {
            await _exited.Task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not exit {how}; its output:\n{Output}");
        }
        await _process.WaitForExitAsync(); // drains the output
    }

    /// <summary>SIGSTOP: the process is frozen (no thread runs; its sockets stay open) until <see cref="Continue"/>.</summary>
    public void Freeze() => Signal(19);

    /// <summary>SIGCONT: a frozen process runs on where it stopped.</summary>
    public void Continue() => Signal(18);

    private void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0 && !HasExited)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
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
        // Exited can fire before the last lines are read (a process that logs one error and exits looked silent): the
        // parameterless wait returns once stdout is drained. Bounded, in case something else holds the pipe open.
        Task.Run(() => _process.WaitForExit()).Wait(TimeSpan.FromSeconds(10));
        _exited.TrySetResult();
        lock (_lines)
        {
            foreach (var waiter in _waiters)
                waiter.Found.TrySetException(new TimeoutException($"{Name} exited; its output:\n{string.Join('\n', _lines)}"));
            _waiters.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
