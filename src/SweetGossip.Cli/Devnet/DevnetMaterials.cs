using SweetGossip.Cli.Files;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Devnet;

/// <summary>
/// The authority, and each node's key and certificate, written as `sgossip ca new`, `keys new` and `ca issue` write
/// them (owner-only secrets, certificates as wire files), so every other command reads them as usual.
/// </summary>
public static class DevnetMaterials
{
    /// <summary>How long a devnet's certificates are valid: a devnet is for today, not for a year.</summary>
    private static readonly TimeSpan Validity = TimeSpan.FromDays(30);

    public static CertificateAuthority CreateAuthority(string path)
    {
        var key = PrivateKey.Generate();
        var authority = new CertificateAuthority(DevnetScenario.AuthorityName, key);
        JsonFile.WriteSecret(path, AuthorityFile.Create(authority.Name, key), replace: false);
        return authority;
    }

    /// <summary>A fresh key for <paramref name="member"/> and its certificate (the driver's names its area); returns the identity.</summary>
    public static PublicKey CreateIdentity(CertificateAuthority authority, DevnetMember member, DevnetLayout layout)
    {
        Directory.CreateDirectory(layout.FolderOf(member.Name));
        var key = PrivateKey.Generate();
        JsonFile.WriteSecret(layout.KeyOf(member.Name), KeyFile.From(key), replace: false);
        var now = UnixTime.Truncate(DateTimeOffset.UtcNow);
        List<CertificateProperty> properties = member.Role == DevnetRole.TaxiDriver ? [new("area", DevnetScenario.DriverArea)] : [];
        // A minute back: a certificate issued "now" must already be valid on a node whose clock is a second behind.
        var certificate = authority.Issue(key.PublicKey, member.RoleName, properties, now.AddMinutes(-1), now + Validity);
        JsonFile.Write(layout.CertificateOf(member.Name), WireFile.Of(certificate));
        return key.PublicKey;
    }
}
