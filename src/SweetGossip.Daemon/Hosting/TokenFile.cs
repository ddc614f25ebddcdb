using System.Security.Cryptography;
using System.Text;
using SweetGossip.Node.Hosting;

namespace SweetGossip.Daemon.Hosting;

/// <summary>
/// A bearer token in a file: 32 random bytes as 64 lowercase hex digits and a newline, written once (owner-only,
/// whole, see <see cref="SecretFile"/>) and read back on every later start. The node's control token and the
/// Lightning hub's token are both kept this way.
/// </summary>
public static class TokenFile
{
    private const int Bytes = 32;

    /// <summary>The token in <paramref name="path"/>, written there first if there is none.</summary>
    /// <param name="kind">What the token is ("control token", "hub token"), for errors.</param>
    /// <exception cref="InvalidDataException">The existing file does not hold a token.</exception>
    public static string CreateOrRead(string path, string kind)
    {
        if (File.Exists(path)) return Read(path, kind);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Bytes));
        // Another process that got there first keeps its token; this one reads it.
        return SecretFile.TryCreate(path, Encoding.ASCII.GetBytes(token + "\n")) ? token : Read(path, kind);
    }

    /// <summary>The token in a file (surrounding whitespace ignored).</summary>
    /// <exception cref="InvalidDataException">Not 64 hex digits.</exception>
    /// <exception cref="IOException">Cannot be read.</exception>
    public static string Read(string path, string kind)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length > 1024) throw new InvalidDataException($"{path} is not a {kind} file ({info.Length} bytes)");
        var text = File.ReadAllText(path).Trim();
        return IsWellFormed(text) ? text.ToLowerInvariant() : throw new InvalidDataException($"{path} does not hold a {kind} ({2 * Bytes} hex digits)");
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
