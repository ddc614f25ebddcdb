using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Files;

/// <summary>A certification authority: its name, key and the serials it has revoked so far.</summary>
public sealed record AuthorityFile(string Type, string Name, string SecretKey, string PublicKey, List<string> RevokedSerials)
{
    public const string FileType = "sweetgossip-authority";

    public static AuthorityFile Create(string name, PrivateKey key) =>
        new(FileType, name, Hex.Encode(key.ToBytes()), key.PublicKey.ToHex(), []);

    public CertificateAuthority ToAuthority()
    {
        if (Type != FileType)
            throw new CliException($"not an authority file (type is '{Type}', expected '{FileType}')");
        return new CertificateAuthority(Name, PrivateKey.FromHex(SecretKey));
    }

    public IEnumerable<CertificateSerial> Revoked() => RevokedSerials.Select(SerialText.Parse);
}

public static class SerialText
{
    public static CertificateSerial Parse(string text) =>
        Guid.TryParseExact(text, "N", out var guid)
            ? new CertificateSerial(guid)
            : throw new CliException($"'{text}' is not a certificate serial (32 hex digits)");
}
