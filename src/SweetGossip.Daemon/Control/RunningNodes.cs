using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SweetGossip.Node.Hosting;

namespace SweetGossip.Daemon.Control;

/// <summary>
/// How `sgossip` commands find a running node's control token without being told: `node run` leaves a note
/// <c>control-&lt;port&gt;.json</c> in a per-user directory (<see cref="Variable"/>, else
/// <c>~/.local/share/sgossip/control</c>; owner-only) naming the loopback address it listens on and the token
/// file in its data directory; a command given <c>--control http://127.0.0.1:&lt;port&gt;</c> reads the note for that
/// port, then the token from that file. The note holds no secret; reading the token still needs the file's
/// permission. A node stopping cleanly removes its note; after a kill -9 the next node on that port replaces it.
/// </summary>
public static class RunningNodes
{
    /// <summary>Puts the notes elsewhere (a test run, a container with a read-only home).</summary>
    public const string Variable = "SGOSSIP_RUNTIME_DIR";

    private const string Type = "sweetgossip-control";

    private const int MaxNoteBytes = 4096;

    private static readonly JsonSerializerOptions NoteJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The directory of the notes, or null when this user has none (no home directory).</summary>
    public static string? Directory
    {
        get
        {
            if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured) return Path.GetFullPath(configured);
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return data.Length == 0 ? null : Path.Combine(data, "sgossip", "control");
        }
    }

    /// <summary>Leaves the note for a node listening on <paramref name="listen"/>; disposing it removes the note if it is still this node's.</summary>
    /// <exception cref="IOException">The note cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The note cannot be written.</exception>
    public static IDisposable Announce(IPEndPoint listen, string tokenFile)
    {
        var directory = Directory ?? throw new IOException($"no directory for the note: set {Variable} or HOME");
        var note = NotePath(directory, listen.Port);
        var token = Path.GetFullPath(tokenFile);
        SecretFile.CreateDirectory(directory);
        SecretFile.Write(note, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Note(Type, listen.ToString(), token, Environment.ProcessId), NoteJson) + "\n"));
        return new Announcement(note, token);
    }

    /// <summary>The token file of the node that last announced <paramref name="control"/>'s port and address, if any.</summary>
    public static string? TokenFileFor(Uri control)
    {
        if (Directory is not { } directory || control.Port is < 1 or > 65535) return null;
        var note = Read(NotePath(directory, control.Port));
        if (note is null || !IPEndPoint.TryParse(note.Listen ?? "", out var listen)) return null;
        var host = control.Host.Trim('[', ']');
        var sameAddress = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                          || (IPAddress.TryParse(host, out var address) && address.Equals(listen.Address));
        return sameAddress ? note.TokenFile : null;
    }

    private static string NotePath(string directory, int port) => Path.Combine(directory, $"control-{port}.json");

    private static Note? Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxNoteBytes) return null;
            var note = JsonSerializer.Deserialize<Note>(File.ReadAllText(path), NoteJson);
            return note is { Type: Type, TokenFile: not null } ? note : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null; // a note that cannot be read is no note: the command then says it has no token
        }
    }

    private sealed record Note(string? Type, string? Listen, string? TokenFile, int? Pid);

    private sealed class Announcement(string path, string tokenFile) : IDisposable
    {
        public void Dispose()
        {
            // Another node on this port since (this one was killed and its port reused) keeps its note.
            try
            {
                if (Read(path)?.TokenFile == tokenFile) File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left behind like after a kill -9: the next node on this port replaces it.
            }
        }
    }
}
