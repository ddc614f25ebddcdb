using System.Text;

namespace SweetGossip.Cli.Devnet;

/// <summary>
/// Reads the lines a background process appends to its log file, from where its run began, until one matches: how
/// `devnet up` learns that a process is ready and on which ports (the OS picked them). Polls the file; gives up when
/// the process is gone, or at the deadline.
/// </summary>
public sealed class LogFollower(string name, string path, long from, ProcessIdentity process)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>A ready line is short; a longer run of bytes without a line break is not what this waits for.</summary>
    private const int MaxLineBytes = 64 * 1024;

    private readonly List<string> _tail = [];
    private readonly List<byte> _partial = [];
    private long _offset = from;

    /// <summary>Where a log file ends now: a follower started here sees only what the next run writes.</summary>
    public static long EndOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <exception cref="CliException">The process exited first, or <paramref name="deadline"/> passed; the message quotes its last log line.</exception>
    public async Task<string> LineAsync(Func<string, bool> match, string what, DateTimeOffset deadline, CancellationToken cancel)
    {
        while (true)
        {
            // Whether it still ran is read before the file: a process that logged its line and then exited is still found.
            var running = process.IsRunning;
            foreach (var line in ReadNewLines())
                if (match(line)) return line;
            if (!running)
                throw new CliException($"{name} exited before {what}; {LastWords()}");
            if (DateTimeOffset.UtcNow > deadline)
                throw new CliException($"{name} did not get to {what} in time; {LastWords()}");
            await Task.Delay(PollInterval, cancel);
        }
    }

    private string LastWords() =>
        _tail.LastOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) is { } error
            ? $"its log {path} says: {error.Trim()}"
            : _tail.Count > 0 ? $"its log {path} ends: {_tail[^1].Trim()}" : $"its log {path} is empty";

    private List<string> ReadNewLines()
    {
        var lines = new List<string>();
        if (!File.Exists(path)) return lines;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= _offset) return lines;
        stream.Seek(_offset, SeekOrigin.Begin);
        var buffer = new byte[Math.Min(stream.Length - _offset, 1 << 20)];
        var read = stream.Read(buffer, 0, buffer.Length);
        _offset += read;
        foreach (var b in buffer.AsSpan(0, read))
        {
            if (b != (byte)'\n')
            {
                if (_partial.Count < MaxLineBytes) _partial.Add(b);
                continue;
            }
            var line = Encoding.UTF8.GetString([.. _partial]).TrimEnd('\r');
            _partial.Clear();
            lines.Add(line);
            _tail.Add(line);
            if (_tail.Count > 50) _tail.RemoveAt(0);
        }
        return lines;
    }
}
