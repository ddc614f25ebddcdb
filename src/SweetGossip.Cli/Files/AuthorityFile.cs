using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Cli.Files;

/// <summary>A certification authority: its name, key and the serials it has revoked so far.</summary>
/// <remarks>Fields are nullable because a hand-edited file may lack them; <see cref="Problem"/> reports that.</remarks>
public sealed record AuthorityFile(string? Type, string? Name, string? SecretKey, string? PublicKey, List<string>? RevokedSerials) : ICheckedFile
{
    public const string FileType = "sweetgossip-authority";

    public static AuthorityFile Create(string name, PrivateKey key) =>
        new(FileType, name, Hex.Encode(key.ToBytes()), key.PublicKey.ToHex(), []);

    public string? Problem() =>
        JsonFile.CheckType(Type, FileType) ?? JsonFile.Missing(("name", Name), ("secret_key", SecretKey), ("public_key", PublicKey), ("revoked_serials", RevokedSerials));

    /// <summary>A checked authority file: its authority and the serials revoked so far.</summary>
    public sealed record Loaded(AuthorityFile File, CertificateAuthority Authority, IReadOnlyList<CertificateSerial> Revoked);

    /// <summary>Reads and checks everything in the file, naming <paramref name="path"/> in every error.</summary>
    public static Loaded Load(string path)
    {
        var file = JsonFile.Read<AuthorityFile>(path, "authority");
        try
        {
            var key = PrivateKey.FromHex(file.SecretKey!);
            if (!string.Equals(key.PublicKey.ToHex(), file.PublicKey, StringComparison.OrdinalIgnoreCase))
                throw new CliException("authority file is inconsistent: public_key does not belong to secret_key");
            var authority = new CertificateAuthority(file.Name!, key);
            var revoked = file.RevokedSerials!.Select(s => SerialText.Parse(s, "revoked_serials")).ToList();
            return new Loaded(file, authority, revoked);
        }
        catch (Exception e) when (e is CliException or CryptoFormatException or FrameFormatException)
        {
            throw new CliException($"{path}: {e.Message}");
        }
    }
}

public static class SerialText
{
    /// <summary>A serial as 32 hex digits; <paramref name="where"/> (an option or field) is named if it is not one.</summary>
    public static CertificateSerial Parse(string? text, string where) =>
        text is not null && text.Length == 32 && Guid.TryParseExact(text, "N", out var guid)
            ? new CertificateSerial(guid)
            : throw new CliException($"{where}: '{text}' is not a certificate serial (32 hex digits)");
}
