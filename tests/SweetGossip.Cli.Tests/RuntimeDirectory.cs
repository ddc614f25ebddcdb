using SweetGossip.Daemon.Control;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// The notes `node run` leaves for local commands (<see cref="RunningNodes"/>) go to a directory of this test run,
/// not the user's home: set in this process before any node starts, so every child process inherits it.
/// </summary>
internal static class RuntimeDirectory
{
    public static readonly string Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sgossip-cli-tests", $"runtime-{Environment.ProcessId}");

    static RuntimeDirectory() => Environment.SetEnvironmentVariable(RunningNodes.Variable, Path);

    /// <summary>Makes sure the variable is set (the first call runs the static constructor).</summary>
    public static void Use()
    {
    }
}
