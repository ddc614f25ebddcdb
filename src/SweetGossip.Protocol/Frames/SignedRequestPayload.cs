using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Frames;

/// <summary>
/// A request payload as it travels: the exact bytes the originator signed, the signature,
/// and the payload parsed from those bytes. Its hash is what proofs of work commit to.
/// </summary>
public sealed record SignedRequestPayload
{
    internal SignedRequestPayload(Bytes payloadBytes, Bytes originatorSignature, RequestPayload payload)
    {
        PayloadBytes = payloadBytes;
        OriginatorSignature = originatorSignature;
        Payload = payload;
        PayloadHash = payloadBytes.Sha256();
    }

    public Bytes PayloadBytes { get; }

    public Bytes OriginatorSignature { get; }

    public RequestPayload Payload { get; }

    /// <summary>SHA-256 of <see cref="PayloadBytes"/>.</summary>
    public Hash32 PayloadHash { get; }

    /// <summary>Signs a payload with the key its originator certificate was issued to.</summary>
    public static SignedRequestPayload Sign(RequestPayload payload, PrivateKey originatorKey)
    {
        if (!originatorKey.PublicKey.Equals(payload.OriginatorCertificate.Body.Subject))
            throw new ArgumentException("the signing key is not the originator certificate's subject key", nameof(originatorKey));
        var bytes = RequestWire.EncodePayload(payload);
        var signature = DomainSignature.Sign(originatorKey, SignatureDomains.RequestPayload, bytes);
        return new SignedRequestPayload(Bytes.Own(bytes), Bytes.Own(signature), RequestWire.ParsePayload(bytes, "SignedRequestPayload"));
    }

    public bool HasValidSignature() =>
        DomainSignature.Verify(Payload.OriginatorCertificate.Body.Subject, SignatureDomains.RequestPayload, PayloadBytes.Span, OriginatorSignature.Span);
}
