using SweetGossip.Daemon.Hosting;

namespace SweetGossip.Daemon.Control;

/// <summary>
/// The control endpoint's bearer token: <see cref="FileName"/> in the node's data directory, written owner-only at
/// the first start and kept afterwards. Only a process that can read that file (the node's user, or root) can use
/// the endpoint, so a web page or another local user cannot pay invoices or broadcast topics through it.
/// </summary>
public static class ControlToken
{
    public const string FileName = "control.token";

    public const string Kind = "control token";

    /// <summary>The path of the token of the node whose data directory is <paramref name="dataDirectory"/>.</summary>
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <exception cref="InvalidDataException">The file is there but holds no token.</exception>
    public static string CreateOrRead(string dataDirectory) => TokenFile.CreateOrRead(PathIn(dataDirectory), Kind);

    /// <exception cref="InvalidDataException">Not a token.</exception>
    /// <exception cref="IOException">Cannot be read.</exception>
    public static string Read(string path) => TokenFile.Read(path, Kind);
}
