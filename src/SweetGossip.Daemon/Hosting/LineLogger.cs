using Akka.Actor;
using Akka.Event;

namespace SweetGossip.Daemon.Hosting;

/// <summary>
/// Akka logger for `sgossip node run` and `sgossip ln hub`: one plain line per event on stdout,
/// <c>2026-11-24T18:00:00.000Z INFO  user/node/transport/$a  message</c>, easy to grep and to ship.
/// </summary>
public sealed class LineLogger : ReceiveActor
{
    public LineLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Write);
    }

    /// <summary>One log line in this format, for lines the host writes itself.</summary>
    public static string Format(DateTime at, string level, string source, string message) =>
        $"{at.ToUniversalTime():yyyy-MM-ddTHH:mm:ss.fffZ} {level,-5} {source}  {OneLine(message)}";

    /// <summary>Every log line is one line: line breaks inside a message become spaces.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static void Write(LogEvent e)
    {
        var line = Format(e.Timestamp, Level(e.LogLevel()), Source(e.LogSource), e.Message?.ToString() ?? "");
        if (e.Cause is { } cause) line += $" ({cause.GetType().Name}: {OneLine(cause.Message)})";
        Console.Out.WriteLine(line);
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.DebugLevel => "DEBUG",
        LogLevel.InfoLevel => "INFO",
        LogLevel.WarningLevel => "WARN",
        _ => "ERROR",
    };

    // "akka://sgossip/user/node/transport/$a" → "user/node/transport/$a": the system name is the same on every line.
    private static string Source(string source)
    {
        var path = source.IndexOf("/user/", StringComparison.Ordinal) is var u and >= 0 ? source[(u + 1)..]
            : source.IndexOf("/system/", StringComparison.Ordinal) is var s and >= 0 ? source[(s + 1)..]
            : source;
        var hash = path.IndexOf('#', StringComparison.Ordinal);
        return hash >= 0 ? path[..hash] : path;
    }
}
