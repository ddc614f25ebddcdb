namespace SweetGossip.Protocol.Certificates;

/// <summary>Why a certificate was or was not accepted. Each failure has its own value so callers can say exactly what is wrong.</summary>
public enum CertificateVerdict
{
    Valid,
    UnknownAuthority,
    AuthorityKeyMismatch,
    ForgedSignature,
    Revoked,
    NotYetValid,
    Expired,

    /// <summary>The serial is on this node's own revocation list (its configuration), not (only) the authority's.</summary>
    RevokedByNode,
}

/// <summary>Why a revocation list was or was not accepted.</summary>
public enum RevocationListVerdict
{
    Accepted,
    UnknownAuthority,
    AuthorityKeyMismatch,
    ForgedSignature,
    Stale,
}

public static class VerdictText
{
    public static string Describe(this CertificateVerdict verdict) => verdict switch
    {
        CertificateVerdict.Valid => "certificate is valid",
        CertificateVerdict.UnknownAuthority => "certificate is issued by an authority this node does not trust",
        CertificateVerdict.AuthorityKeyMismatch => "certificate names a trusted authority but carries another key",
        CertificateVerdict.ForgedSignature => "certificate signature does not verify against the authority's key",
        CertificateVerdict.Revoked => "certificate has been revoked by its authority",
        CertificateVerdict.NotYetValid => "certificate is not valid yet (before not_valid_before)",
        CertificateVerdict.Expired => "certificate has expired (after not_valid_after)",
        CertificateVerdict.RevokedByNode => "certificate has been revoked by this node's configuration (its serial is listed there)",
        _ => verdict.ToString(),
    };

    public static string Describe(this RevocationListVerdict verdict) => verdict switch
    {
        RevocationListVerdict.Accepted => "revocation list accepted",
        RevocationListVerdict.UnknownAuthority => "revocation list is from an authority this node does not trust",
        RevocationListVerdict.AuthorityKeyMismatch => "revocation list names a trusted authority but carries another key",
        RevocationListVerdict.ForgedSignature => "revocation list signature does not verify against the authority's key",
        RevocationListVerdict.Stale => "revocation list is older than the one already held",
        _ => verdict.ToString(),
    };
}
