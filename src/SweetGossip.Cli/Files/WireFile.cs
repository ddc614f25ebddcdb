using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Cli.Files;

/// <summary>
/// A signed protocol object (certificate or revocation list) as a JSON file: the exact wire bytes
/// in base64 (what is verified), plus a readable summary that is ignored when loading.
/// </summary>
public sealed record WireFile(string Type, string Wire, object? Summary)
{
    public const string CertificateType = "sweetgossip-certificate";
    public const string RevocationListType = "sweetgossip-revocation-list";

    public static WireFile Of(SignedCertificate certificate) =>
        new(CertificateType, Convert.ToBase64String(CertificateWire.EncodeSignedCertificate(certificate)), Summaries.Of(certificate));

    public static WireFile Of(SignedRevocationList list) =>
        new(RevocationListType, Convert.ToBase64String(CertificateWire.EncodeSignedRevocationList(list)), Summaries.Of(list));

    public static SignedCertificate LoadCertificate(string path) =>
        CertificateWire.ParseSignedCertificate(Load(path, CertificateType));

    public static SignedRevocationList LoadRevocationList(string path) =>
        CertificateWire.ParseSignedRevocationList(Load(path, RevocationListType));

    private static byte[] Load(string path, string type)
    {
        var file = JsonFile.Read<WireFile>(path);
        if (file.Type != type)
            throw new CliException($"{path}: type is '{file.Type}', expected '{type}'");
        try
        {
            return Convert.FromBase64String(file.Wire);
        }
        catch (FormatException)
        {
            throw new CliException($"{path}: 'wire' is not base64");
        }
    }
}
