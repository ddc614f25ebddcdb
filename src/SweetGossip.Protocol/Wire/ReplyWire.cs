using Google.Protobuf;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using P = SweetGossip.Protocol.Wire.Proto;

namespace SweetGossip.Protocol.Wire;

/// <summary>The sealed parts of a reply (commitment, header, body) to and from bytes.</summary>
public static class ReplyWire
{
    public static byte[] EncodeCommitment(ReplyCommitment commitment) => new P.ReplyCommitment
    {
        PayloadId = ProtoFields.Of(commitment.PayloadId.Value),
        PaymentHash = ProtoFields.Of(commitment.PaymentHash),
        SealedBodyHash = ProtoFields.Of(commitment.SealedBodyHash),
        ReplierPriceMsat = commitment.ReplierPriceMsat,
    }.ToByteArray();

    public static ReplyCommitment ParseCommitment(ReadOnlySpan<byte> bytes)
    {
        const string f = "ReplyCommitment";
        var p = ProtoFields.Parse(P.ReplyCommitment.Parser, bytes, f, "bytes");
        return new ReplyCommitment(
            new PayloadId(ProtoFields.Id(p.PayloadId, f, "payload_id")),
            ProtoFields.Hash(p.PaymentHash, f, "payment_hash"),
            ProtoFields.Hash(p.SealedBodyHash, f, "sealed_body_hash"),
            p.ReplierPriceMsat);
    }

    public static byte[] EncodeHeader(ReplyHeader header) => new P.ReplyHeader
    {
        ReplierCertificate = CertificateWire.ToProto(header.ReplierCertificate),
        Commitment = ProtoFields.Of(header.CommitmentBytes),
        CommitmentSignature = ProtoFields.Of(header.CommitmentSignature),
    }.ToByteArray();

    public static ReplyHeader ParseHeader(ReadOnlySpan<byte> bytes)
    {
        const string f = "ReplyHeader";
        var p = ProtoFields.Parse(P.ReplyHeader.Parser, bytes, f, "bytes");
        var commitment = ProtoFields.Bounded(p.Commitment, 1024, f, "commitment");
        return new ReplyHeader(
            CertificateWire.FromProto(p.ReplierCertificate, f, "replier_certificate"),
            commitment,
            ProtoFields.Signature(p.CommitmentSignature, f, "commitment_signature"),
            ParseCommitment(commitment.Span));
    }

    public static byte[] EncodeBody(ReplyBody body) => new P.ReplyBody
    {
        Message = body.Message,
        ContactAddress = body.ContactAddress,
        RequestPayloadHash = ProtoFields.Of(body.RequestPayloadHash),
    }.ToByteArray();

    public static ReplyBody ParseBody(ReadOnlySpan<byte> bytes)
    {
        const string f = "ReplyBody";
        var p = ProtoFields.Parse(P.ReplyBody.Parser, bytes, f, "bytes");
        return new ReplyBody(
            ProtoFields.Text(p.Message, WireLimits.MaxReplyMessageLength, f, "message", allowEmpty: true),
            ProtoFields.Text(p.ContactAddress, WireLimits.MaxContactAddressLength, f, "contact_address"),
            ProtoFields.Hash(p.RequestPayloadHash, f, "request_payload_hash"));
    }
}
