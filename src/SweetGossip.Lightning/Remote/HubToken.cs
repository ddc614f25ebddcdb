using System.Security.Cryptography;
using System.Text;

namespace SweetGossip.Lightning.Remote;

/// <summary>
/// The Lightning hub's bearer token: 32 random bytes as 64 lowercase hex digits, in the file <see cref="FileName"/> of
/// the hub's data directory. Every request to the hub carries it (<c>Authorization: Bearer …</c>); nodes read it
/// from the file their config names.
/// </summary>
public static class HubToken
{
    public const string FileName = "hub.token";

    private const int Bytes = 32;

    /// <summary>
    /// The token in <paramref name="directory"/>, written there first if it has none: created readable by its owner
    /// only, under a temporary name, then renamed into place, so it is never seen half-written and never rewritten.
    /// </summary>
    /// <exception cref="InvalidDataException">The existing file does not hold a token.</exception>
    public static string CreateOrRead(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path)) return Read(path);
        var temporary = Path.Combine(directory, $".{FileName}.{Environment.ProcessId}.tmp");
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Bytes));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temporary, options))
                stream.Write(Encoding.ASCII.GetBytes(token + "\n"));
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            return Read(path); // another process wrote it first: theirs is the token
        }
        finally
        {
            File.Delete(temporary);
        }
        return token;
    }

    /// <summary>The token in a file (surrounding whitespace ignored).</summary>
    /// <exception cref="InvalidDataException">Not 64 hex digits.</exception>
    /// <exception cref="IOException">Cannot be read.</exception>
    public static string Read(string path)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length > 1024) throw new InvalidDataException($"{path} is not a hub token file ({info.Length} bytes)");
        var text = File.ReadAllText(path).Trim();
        return IsWellFormed(text) ? text.ToLowerInvariant() : throw new InvalidDataException($"{path} does not hold a hub token ({2 * Bytes} hex digits)");
    }

    public static bool IsWellFormed(string text) => text.Length == 2 * Bytes && text.All(Uri.IsHexDigit);

    /// <summary>Whether <paramref name="presented"/> is <paramref name="token"/>, in time that does not depend on where they differ.</summary>
    public static bool Matches(string token, ReadOnlySpan<char> presented)
    {
        Span<byte> given = stackalloc byte[2 * Bytes];
        var expected = Encoding.ASCII.GetBytes(token);
        return presented.Length == given.Length
               && Encoding.ASCII.GetBytes(presented, given) == given.Length
               && CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
