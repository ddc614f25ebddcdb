using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Certificates;

/// <summary>
/// A certification authority: a trusted third party or a community that vouches for
/// subjects (a driving licence, no criminal record) by signing certificates, and
/// withdraws that by publishing signed revocation lists.
/// </summary>
public sealed class CertificateAuthority
{
    private readonly PrivateKey _key;

    public CertificateAuthority(string name, PrivateKey key)
    {
        WireLimits.CheckText("CertificateAuthority", "name", name, WireLimits.MaxNameLength, allowEmpty: false);
        Name = name;
        _key = key;
    }

    public string Name { get; }

    public PublicKey PublicKey => _key.PublicKey;

    public SignedCertificate Issue(
        PublicKey subject,
        string certificateName,
        IEnumerable<CertificateProperty> properties,
        DateTimeOffset notValidBefore,
        DateTimeOffset notValidAfter,
        CertificateSerial? serial = null)
    {
        if (notValidAfter <= notValidBefore)
            throw new ArgumentException("not_valid_after must be later than not_valid_before", nameof(notValidAfter));
        var body = new CertificateBody(
            serial ?? CertificateSerial.New(),
            subject,
            certificateName,
            new ValueList<CertificateProperty>(properties),
            UnixTime.Truncate(notValidBefore),
            UnixTime.Truncate(notValidAfter),
            Name,
            PublicKey);
        var bodyBytes = CertificateWire.EncodeBody(body);
        var signature = DomainSignature.Sign(_key, SignatureDomains.Certificate, bodyBytes);
        return new SignedCertificate(Bytes.Own(bodyBytes), Bytes.Own(signature), body);
    }

    public SignedRevocationList PublishRevocations(IEnumerable<CertificateSerial> revokedSerials, DateTimeOffset issuedAt)
    {
        var body = new RevocationListBody(
            Name,
            PublicKey,
            UnixTime.Truncate(issuedAt),
            new ValueList<CertificateSerial>(revokedSerials.Distinct()));
        var bodyBytes = CertificateWire.EncodeRevocationBody(body);
        var signature = DomainSignature.Sign(_key, SignatureDomains.RevocationList, bodyBytes);
        return new SignedRevocationList(Bytes.Own(bodyBytes), Bytes.Own(signature), body);
    }
}
