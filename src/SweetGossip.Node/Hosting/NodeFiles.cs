using System.Text.Json;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Hosting;

/// <summary>
/// Reads the files `sgossip` writes, for a node: a key file (<c>{"type":"sweetgossip-key","secret_key":…,"public_key":…}</c>)
/// a certificate file (<c>{"type":"sweetgossip-certificate","wire":"&lt;base64&gt;"}</c>) and a revocation list
/// (<c>sgossip ca revoke</c>: <c>{"type":"sweetgossip-revocation-list","wire":"&lt;base64&gt;"}</c>). Failures are
/// <see cref="InvalidDataException"/> saying what is wrong with the file.
/// </summary>
public static class NodeFiles
{
    public const string KeyType = "sweetgossip-key";
    public const string CertificateType = "sweetgossip-certificate";
    public const string RevocationListType = "sweetgossip-revocation-list";

    public static PrivateKey ReadKey(string path)
    {
        using var json = Open(path, KeyType);
        var secret = Field(json, "secret_key");
        PrivateKey key;
        try
        {
            key = PrivateKey.FromHex(secret);
        }
        catch (CryptoFormatException e)
        {
            throw new InvalidDataException($"secret_key: {e.Message}");
        }
        if (!string.Equals(key.PublicKey.ToHex(), Field(json, "public_key"), StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException("public_key does not belong to secret_key");
        return key;
    }

    public static SignedCertificate ReadCertificate(string path) =>
        ReadWire(path, CertificateType, "certificate", bytes => CertificateWire.ParseSignedCertificate(bytes));

    /// <summary>Reads a revocation list as published; its signature is checked by whoever trusts its authority.</summary>
    public static SignedRevocationList ReadRevocationList(string path) =>
        ReadWire(path, RevocationListType, "revocation list", bytes => CertificateWire.ParseSignedRevocationList(bytes));

    private static T ReadWire<T>(string path, string type, string kind, Func<byte[], T> parse)
    {
        using var json = Open(path, type);
        byte[] wire;
        try
        {
            wire = Convert.FromBase64String(Field(json, "wire"));
        }
        catch (FormatException)
        {
            throw new InvalidDataException("'wire' is not base64");
        }
        try
        {
            return parse(wire);
        }
        catch (Exception e) when (e is FrameFormatException or CryptoFormatException or ArgumentException)
        {
            throw new InvalidDataException($"not a valid {kind}: {e.Message}");
        }
    }

    private static JsonDocument Open(string path, string type)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not JSON ({e.Message})");
        }
        var actual = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("type", out var t) ? t.ToString() : null;
        if (actual == type) return json;
        json.Dispose();
        throw new InvalidDataException($"not a '{type}' file (type is '{actual}')");
    }

    private static string Field(JsonDocument json, string name) =>
        json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"missing '{name}'");
}
