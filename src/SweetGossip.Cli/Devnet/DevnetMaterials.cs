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

    /// <summary>Every process's identity, by name: a key and certificate per node, one shared by all members of the relay hub.</summary>
    public static Dictionary<string, PublicKey> CreateIdentities(CertificateAuthority authority, DevnetPlan plan, DevnetLayout layout)
    {
        var identities = new Dictionary<string, PublicKey>(StringComparer.Ordinal);
        var members = plan.Members.Where(m => m.Role == DevnetRole.HubMember).ToList();
        if (members.Count > 0)
        {
            var hub = CreateIdentity(authority, members[0], [.. members.Select(m => m.Name)], layout);
            foreach (var member in members) identities[member.Name] = hub;
        }
        foreach (var member in plan.Members.Where(m => m.Role != DevnetRole.HubMember))
            identities[member.Name] = CreateIdentity(authority, member, layout);
        return identities;
    }

    /// <summary>A fresh key for <paramref name="member"/> and its certificate (the driver's names its area); returns the identity.</summary>
    public static PublicKey CreateIdentity(CertificateAuthority authority, DevnetMember member, DevnetLayout layout) =>
        CreateIdentity(authority, member, [member.Name], layout);

    /// <summary>
    /// One fresh key and one certificate for <paramref name="member"/>'s role, written into the folder of every name in
    /// <paramref name="holders"/>: the members of a relay hub present one identity, whichever member a peer dials.
    /// </summary>
    public static PublicKey CreateIdentity(CertificateAuthority authority, DevnetMember member, IReadOnlyList<string> holders, DevnetLayout layout)
    {
        var key = PrivateKey.Generate();
        var now = UnixTime.Truncate(DateTimeOffset.UtcNow);
        List<CertificateProperty> properties = member.Role == DevnetRole.TaxiDriver ? [new("area", DevnetScenario.DriverArea)] : [];
        // A minute back: a certificate issued "now" must already be valid on a node whose clock is a second behind.
        var certificate = authority.Issue(key.PublicKey, member.RoleName, properties, now.AddMinutes(-1), now + Validity);
        foreach (var name in holders)
        {
            Directory.CreateDirectory(layout.FolderOf(name));
            JsonFile.WriteSecret(layout.KeyOf(name), KeyFile.From(key), replace: false);
            JsonFile.Write(layout.CertificateOf(name), WireFile.Of(certificate));
        }
        return key.PublicKey;
    }
}
