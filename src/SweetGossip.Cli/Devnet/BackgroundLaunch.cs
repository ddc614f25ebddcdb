using System.Diagnostics;
using SweetGossip.Cli.Fuzz;

namespace SweetGossip.Cli.Devnet;

/// <summary>
/// Starts `sgossip args…` (this very program, as <see cref="SelfProgram"/> finds it) so that it outlives the command
/// that started it: through `sh -c 'exec …'` with stdout and stderr appended to a log file and stdin from /dev/null
/// (no pipe to this process, which is about to exit), and under `setsid` where it exists, in a session of its own (a
/// Ctrl-C in the terminal, or the terminal closing, does not reach it). Both `exec`s keep the pid, so the pid
/// returned is the node's own.
/// </summary>
public static class BackgroundLaunch
{
    private const string Shell = "/bin/sh";

    // $0 is the log file; "$@" the command.
    private const string Script = "exec \"$@\" >>\"$0\" 2>&1 </dev/null";

    private static readonly string? Setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <exception cref="CliException">This system has no /bin/sh (devnet needs a Unix-like system), or the start failed.</exception>
    public static ProcessIdentity Start(string workingDirectory, string logFile, params string[] args)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(Shell))
            throw new CliException("devnet starts its processes with /bin/sh and stops them with signals: it needs Linux or macOS");
        var start = new ProcessStartInfo(Shell) { UseShellExecute = false, WorkingDirectory = workingDirectory };
        string[] command = [.. Setsid is null ? [] : new[] { Setsid }, SelfProgram.Path, .. SelfProgram.Prefix, .. args];
        foreach (var arg in (string[])["-c", Script, logFile, .. command]) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new CliException($"could not start {string.Join(' ', args)}");
        // Read at once: the shell execs in place, so this is the start time the node will keep.
        return ProcessIdentity.Of(process.Id)
            ?? throw new CliException($"{string.Join(' ', args)} exited at once; see {logFile}");
    }
}
