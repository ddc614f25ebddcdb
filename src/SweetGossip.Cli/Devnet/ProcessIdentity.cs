using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace SweetGossip.Cli.Devnet;

/// <summary>
/// A process named by its pid and its start time, so that a pid the system has since given to another process is
/// never signalled: `devnet down` may run days after `up`, when the recorded pids can belong to anything.
/// The start stamp is the kernel's own (/proc/&lt;pid&gt;/stat start time, in clock ticks since boot) on Linux, else
/// the start time the platform reports.
/// </summary>
public readonly record struct ProcessIdentity(int Pid, string StartStamp)
{
    public const int SigKill = 9;

    public const int SigTerm = 15;

    private const int SigCont = 18;

    /// <summary>The process with this pid now, or null if there is none (or it has exited and waits to be reaped).</summary>
    public static ProcessIdentity? Of(int pid) => pid > 0 && StampOf(pid) is { } stamp ? new ProcessIdentity(pid, stamp) : null;

    /// <summary>True while the process recorded here still runs (the same pid with the same start time).</summary>
    public bool IsRunning => StampOf(Pid) == StartStamp;

    /// <summary>SIGTERM (after SIGCONT: a stopped process cannot act on it); false if it is gone already.</summary>
    public bool Terminate() => Signal(SigCont) && Signal(SigTerm);

    /// <summary>SIGKILL; false if it is gone already.</summary>
    public bool Kill() => Signal(SigKill);

    private bool Signal(int signal)
    {
        if (!IsRunning) return false;
        if (SendSignal(Pid, signal) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (!IsRunning) return false; // exited in between
        throw new CliException($"cannot signal pid {Pid}: kill failed with errno {errno}");
    }

    private static string? StampOf(int pid)
    {
        if (OperatingSystem.IsLinux()) return LinuxStamp(pid);
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Field 22 of /proc/&lt;pid&gt;/stat; null if there is no such process or it is a zombie (exited, not yet reaped).</summary>
    private static string? LinuxStamp(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count from the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || fields[0] is "Z" or "X") return null;
        return fields[19];
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
