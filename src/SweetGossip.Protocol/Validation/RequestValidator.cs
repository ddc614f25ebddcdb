using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Topics;

namespace SweetGossip.Protocol.Validation;

/// <summary>
/// What every peer checks before it spends anything on a request (an ask, a broadcast, a reply):
/// the originator signed it, a trusted authority vouches for the originator, it is live, and the
/// topic is well formed. Cheap checks first, the signature checks last.
/// </summary>
public static class RequestValidator
{
    /// <summary>Clocks of peers differ; a request "from the future" by more than this is refused.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>A request may not ask the network to remember it for longer than this.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    public static Verdict Validate(SignedRequestPayload signed, TrustedAuthorities authorities, DateTimeOffset now) =>
        Validate(signed, authorities, now, signaturesAlreadyVerified: false);

    /// <param name="signaturesAlreadyVerified">
    /// These exact payload bytes passed a full validation before (a relay sees each request twice: at the
    /// ask and in the broadcast). Signatures cannot change with time, so only the time-dependent checks
    /// run again; this halves a relay's signature verifications.
    /// </param>
    public static Verdict Validate(SignedRequestPayload signed, TrustedAuthorities authorities, DateTimeOffset now, bool signaturesAlreadyVerified)
    {
        var payload = signed.Payload;
        if (payload.CreatedAt > now + MaxClockSkew)
            return Verdict.Reject($"request created_at {payload.CreatedAt:O} is in the future");
        if (payload.ExpiresAt < now)
            return Verdict.Reject($"request expired at {payload.ExpiresAt:O}");
        if (payload.ExpiresAt - payload.CreatedAt > MaxLifetime)
            return Verdict.Reject($"request lifetime is longer than {MaxLifetime.TotalDays} days");
        try
        {
            payload.Topic.Validate(now);
        }
        catch (TopicValidationException e)
        {
            return Verdict.Reject($"topic {e.Message}");
        }
        var certificate = CertificateVerifier.Verify(payload.OriginatorCertificate, authorities, now, signaturesAlreadyVerified);
        if (certificate != CertificateVerdict.Valid)
            return Verdict.Reject($"originator {certificate.Describe()}");
        if (!signaturesAlreadyVerified && !signed.HasValidSignature())
            return Verdict.Reject("originator signature does not verify against the originator certificate's key");
        return Verdict.Ok;
    }
}
