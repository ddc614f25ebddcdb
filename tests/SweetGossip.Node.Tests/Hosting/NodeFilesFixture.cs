using SweetGossip.Node.Tests.Support;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Tests.Hosting;

/// <summary>A node's key and certificate written as `sgossip` writes them, and a config file beside them.</summary>
public sealed class NodeFilesFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public NodeFilesFixture()
    {
        var now = DateTimeOffset.UtcNow;
        Certificate = Authority.Issue(Key.PublicKey, "taxi-driver", [], now.AddDays(-1), now.AddDays(30));
        WriteKey("node.key", Key);
        WriteCertificate("node.cert", Certificate);
    }

    public string Directory => _directory.Path;

    public PrivateKey Key { get; } = PrivateKey.Generate();

    public CertificateAuthority Authority { get; } = new("Sydney Taxi Council", PrivateKey.Generate());

    public SignedCertificate Certificate { get; }

    /// <summary>The smallest config a node starts from: its files and one trusted authority.</summary>
    public string MinimalConfig => ConfigTrusting(Authority);

    public void WriteKey(string name, PrivateKey key) =>
        File.WriteAllText(Path.Combine(Directory, name),
            $$"""{"type": "sweetgossip-key", "secret_key": "{{Hex.Encode(key.ToBytes())}}", "public_key": "{{key.PublicKey.ToHex()}}"}""");

    public void WriteCertificate(string name, SignedCertificate certificate) =>
        File.WriteAllText(Path.Combine(Directory, name),
            $$"""{"type": "sweetgossip-certificate", "wire": "{{Convert.ToBase64String(CertificateWire.EncodeSignedCertificate(certificate))}}"}""");

    public void WriteRevocationList(string name, SignedRevocationList list) =>
        File.WriteAllText(Path.Combine(Directory, name),
            $$"""{"type": "sweetgossip-revocation-list", "wire": "{{Convert.ToBase64String(CertificateWire.EncodeSignedRevocationList(list))}}"}""");

    /// <summary>The config a node starts from, trusting <paramref name="authority"/> with <paramref name="extra"/> in its entry (e.g. revocations).</summary>
    public string ConfigTrusting(CertificateAuthority authority, string extra = "") => $$"""
        sweetgossip.node {
          identity-key-file = "node.key"
          certificate-file = "node.cert"
          trusted-authorities = [{ name = "{{authority.Name}}", public-key = "{{authority.PublicKey.ToHex()}}"{{extra}} }]
        }
        """;

    public void Dispose() => _directory.Dispose();
}
