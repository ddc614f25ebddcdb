using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Certificates;

/// <summary>
/// Checks a certificate in the order that gives the most useful reason:
/// whose it is, whether it is genuine, whether it was withdrawn, whether it is in its window.
/// </summary>
public static class CertificateVerifier
{
    public static CertificateVerdict Verify(SignedCertificate certificate, TrustedAuthorities authorities, DateTimeOffset now) =>
        Verify(certificate, authorities, now, signatureAlreadyVerified: false);

    /// <param name="signatureAlreadyVerified">
    /// The caller verified these exact bytes before (e.g. the same request seen at its ask): skip the one
    /// expensive step; authority, revocation and window are still checked, as they change over time.
    /// </param>
    public static CertificateVerdict Verify(SignedCertificate certificate, TrustedAuthorities authorities, DateTimeOffset now, bool signatureAlreadyVerified)
    {
        var body = certificate.Body;
        if (!authorities.TryGetKey(body.AuthorityName, out var authorityKey))
            return CertificateVerdict.UnknownAuthority;
        if (!authorityKey!.Equals(body.AuthorityKey))
            return CertificateVerdict.AuthorityKeyMismatch;
        if (!signatureAlreadyVerified && !authorities.IsKnownGenuine(certificate))
        {
            if (!DomainSignature.Verify(authorityKey, SignatureDomains.Certificate, certificate.BodyBytes.Span, certificate.Signature.Span))
                return CertificateVerdict.ForgedSignature;
            authorities.RememberGenuine(certificate);
        }
        // Only lists that passed TrustedAuthorities.Accept are held, so they are genuine.
        if (authorities.RevocationsOf(body.AuthorityName) is { } revocations && revocations.Revokes(body.Serial))
            return CertificateVerdict.Revoked;
        if (authorities.IsRevokedByNode(body.AuthorityName, body.Serial))
            return CertificateVerdict.RevokedByNode;
        if (now < body.NotValidBefore)
            return CertificateVerdict.NotYetValid;
        if (now > body.NotValidAfter)
            return CertificateVerdict.Expired;
        return CertificateVerdict.Valid;
    }
}
