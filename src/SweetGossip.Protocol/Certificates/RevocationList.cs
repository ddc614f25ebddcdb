using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Certificates;

/// <summary>The serials an authority has revoked, as of <see cref="IssuedAt"/>.</summary>
public sealed record RevocationListBody(
    string AuthorityName,
    PublicKey AuthorityKey,
    DateTimeOffset IssuedAt,
    ValueList<CertificateSerial> RevokedSerials);

/// <summary>A revocation list as published: exact signed bytes, signature, parsed body.</summary>
public sealed record SignedRevocationList
{
    internal SignedRevocationList(Bytes bodyBytes, Bytes signature, RevocationListBody body)
    {
        BodyBytes = bodyBytes;
        Signature = signature;
        Body = body;
    }

    public Bytes BodyBytes { get; }

    public Bytes Signature { get; }

    public RevocationListBody Body { get; }

    public bool Revokes(CertificateSerial serial) => Body.RevokedSerials.Contains(serial);
}
