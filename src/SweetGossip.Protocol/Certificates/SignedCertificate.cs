using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Certificates;

/// <summary>
/// A certificate as it travels: the exact body bytes the authority signed, the signature,
/// and the body parsed from those bytes. Only the codec and the authority construct one,
/// so <see cref="Body"/> always matches <see cref="BodyBytes"/>.
/// </summary>
public sealed record SignedCertificate
{
    internal SignedCertificate(Bytes bodyBytes, Bytes signature, CertificateBody body)
    {
        BodyBytes = bodyBytes;
        Signature = signature;
        Body = body;
    }

    public Bytes BodyBytes { get; }

    public Bytes Signature { get; }

    public CertificateBody Body { get; }
}
