namespace SweetGossip.Daemon.Hosting;

/// <summary>The lines a daemon writes itself (ready, shutting down, warnings), in <see cref="LineLogger"/>'s format, one at a time.</summary>
public sealed class DaemonLog(TextWriter output, string source)
{
    private readonly object _sync = new();

    /// <summary>Where the lines go (stdout in the process).</summary>
    public TextWriter Output => output;

    public void Info(string message) => Write("INFO", message);

    public void Warn(string message) => Write("WARN", message);

    public void Error(string message) => Write("ERROR", message);

    private void Write(string level, string message)
    {
        lock (_sync) output.WriteLine(LineLogger.Format(DateTime.UtcNow, level, source, message));
    }
}
