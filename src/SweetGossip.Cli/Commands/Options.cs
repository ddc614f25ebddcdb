using System.CommandLine;
using System.Globalization;
using SweetGossip.Daemon.Control;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cli.Commands;

/// <summary>Small factories so every command declares options the same way.</summary>
internal static class Options
{
    public static Option<T> Required<T>(string name, string description) =>
        new(name) { Description = description, Required = true };

    public static Option<T> Optional<T>(string name, string description) =>
        new(name) { Description = description };

    public static Option<T> WithDefault<T>(string name, string description, T value) =>
        new(name) { Description = description, DefaultValueFactory = _ => value };

    public static Command Command(string name, string description, params Option[] options)
    {
        var command = new Command(name, description);
        foreach (var option in options) command.Options.Add(option);
        return command;
    }

    /// <summary>Hex bytes given on the command line; a malformed value is reported with the option's name.</summary>
    public static byte[] HexBytes(string text, string option)
    {
        try
        {
            return Hex.Decode(text);
        }
        catch (CryptoFormatException e)
        {
            throw new CliException($"{option}: {e.Message}");
        }
    }

    /// <summary>Hex bytes of exactly <paramref name="length"/> bytes.</summary>
    public static byte[] HexBytes(string text, int length, string option)
    {
        var bytes = HexBytes(text, option);
        return bytes.Length == length ? bytes : throw new CliException($"{option}: must be {length} bytes ({2 * length} hex digits), got {bytes.Length}");
    }

    /// <summary>An x-only public key (64 hex digits) given on the command line.</summary>
    public static PublicKey PublicKeyHex(string text, string option)
    {
        var bytes = HexBytes(text, 32, option);
        try
        {
            return PublicKey.FromBytes(bytes);
        }
        catch (CryptoFormatException e)
        {
            throw new CliException($"{option}: not a valid public key ({e.Message})");
        }
    }

    /// <summary>ISO 8601 (e.g. 2026-11-24T18:00:00Z), or relative to now: "now", "now+15m", "+2h", "-1d".</summary>
    public static DateTimeOffset ParseTime(string text, DateTimeOffset now, string option)
    {
        try
        {
            return RequestValues.ParseTime(text, now, option);
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message);
        }
    }
}
