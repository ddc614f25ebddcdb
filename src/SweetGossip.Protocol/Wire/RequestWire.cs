using Google.Protobuf;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using P = SweetGossip.Protocol.Wire.Proto;

namespace SweetGossip.Protocol.Wire;

/// <summary>Request payloads to and from the wire.</summary>
internal static class RequestWire
{
    private const string PayloadFrame = "RequestPayload";

    public static byte[] EncodePayload(RequestPayload payload) => new P.RequestPayload
    {
        PayloadId = ProtoFields.Of(payload.PayloadId.Value),
        Topic = TopicWire.ToProto(payload.Topic),
        OriginatorCertificate = CertificateWire.ToProto(payload.OriginatorCertificate),
        ReplyPublicKey = ProtoFields.Of(payload.ReplyPublicKey),
        CreatedAt = UnixTime.ToSeconds(payload.CreatedAt),
        ExpiresAt = UnixTime.ToSeconds(payload.ExpiresAt),
    }.ToByteArray();

    public static RequestPayload ParsePayload(ReadOnlySpan<byte> bytes, string frame)
    {
        var p = ProtoFields.Parse(P.RequestPayload.Parser, bytes, frame, "payload");
        var created = ProtoFields.Time(p.CreatedAt, PayloadFrame, "created_at");
        var expires = ProtoFields.Time(p.ExpiresAt, PayloadFrame, "expires_at");
        if (expires <= created)
            throw new FrameFormatException(PayloadFrame, "expires_at", "must be later than created_at");
        return new RequestPayload(
            new PayloadId(ProtoFields.Id(p.PayloadId, PayloadFrame, "payload_id")),
            TopicWire.FromProto(p.Topic, PayloadFrame, "topic"),
            CertificateWire.FromProto(p.OriginatorCertificate, PayloadFrame, "originator_certificate"),
            ProtoFields.Key(p.ReplyPublicKey, PayloadFrame, "reply_public_key"),
            created,
            expires);
    }

    public static P.SignedRequestPayload ToProto(SignedRequestPayload signed) => new()
    {
        Payload = ProtoFields.Of(signed.PayloadBytes),
        OriginatorSignature = ProtoFields.Of(signed.OriginatorSignature),
    };

    public static SignedRequestPayload FromProto(P.SignedRequestPayload? proto, string frame, string field)
    {
        proto = ProtoFields.Required(proto, frame, field);
        // The same bytes as a request decoded before (its ask, then its broadcast): the same request, not parsed again.
        if (DecodedRequests.TryGet(proto.Payload.Span, proto.OriginatorSignature.Span, out var known))
            return known;
        var bytes = ProtoFields.Bounded(proto.Payload, WireLimits.MaxFrameBytes, frame, field + ".payload");
        var signature = ProtoFields.Signature(proto.OriginatorSignature, frame, field + ".originator_signature");
        var request = new SignedRequestPayload(bytes, signature, ParsePayload(bytes.Span, frame));
        DecodedRequests.Add(request);
        return request;
    }
}
