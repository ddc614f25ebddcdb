using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Cli.Files;

/// <summary>
/// A signed protocol object (certificate or revocation list) as a JSON file: the exact wire bytes
/// in base64 (what is verified), plus a readable summary that is ignored when loading.
/// </summary>
public sealed record WireFile(string? Type, string? Wire, object? Summary) : ICheckedFile
{
    public const string CertificateType = "sweetgossip-certificate";
    public const string RevocationListType = "sweetgossip-revocation-list";

    public static WireFile Of(SignedCertificate certificate) =>
        new(CertificateType, Convert.ToBase64String(CertificateWire.EncodeSignedCertificate(certificate)), Summaries.Of(certificate));

    public static WireFile Of(SignedRevocationList list) =>
        new(RevocationListType, Convert.ToBase64String(CertificateWire.EncodeSignedRevocationList(list)), Summaries.Of(list));

    public string? Problem() => JsonFile.Missing(("type", Type), ("wire", Wire));

    public static SignedCertificate LoadCertificate(string path) =>
        Parse(path, CertificateType, "certificate", bytes => CertificateWire.ParseSignedCertificate(bytes));

    public static SignedRevocationList LoadRevocationList(string path) =>
        Parse(path, RevocationListType, "revocation list", bytes => CertificateWire.ParseSignedRevocationList(bytes));

    /// <summary>Reads the wire bytes and parses them; a malformed encoding is one error line naming the file.</summary>
    private static T Parse<T>(string path, string type, string kind, Func<byte[], T> parse)
    {
        var file = JsonFile.Read<WireFile>(path, kind);
        if (file.Type != type)
            throw new CliException($"{path}: not a {kind} file (type is '{file.Type}', expected '{type}')");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(file.Wire!);
        }
        catch (FormatException)
        {
            throw new CliException($"{path}: 'wire' is not base64");
        }

        try
        {
            return parse(bytes);
        }
        catch (Exception e) when (e is FrameFormatException or CryptoFormatException or ArgumentException)
        {
            throw new CliException($"{path}: not a valid {kind}: {e.Message}");
        }
    }
}
