namespace SweetGossip.Lightning.Remote;

/// <summary>
/// The Lightning hub's bearer token: 32 random bytes as 64 lowercase hex digits, in the file <see cref="FileName"/> of
/// the hub's data directory (the hub writes it on first start, owner-only: `sgossip ln hub`). Every request to the
/// hub carries it (<c>Authorization: Bearer …</c>); nodes read it from the file their config names.
/// </summary>
public static class HubToken
{
    public const string FileName = "hub.token";

    private const int Bytes = 32;

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
}
