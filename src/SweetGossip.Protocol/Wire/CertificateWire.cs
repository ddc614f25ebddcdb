using Google.Protobuf;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Primitives;
using P = SweetGossip.Protocol.Wire.Proto;

namespace SweetGossip.Protocol.Wire;

/// <summary>Certificates and revocation lists to and from the wire.</summary>
public static class CertificateWire
{
    private const string CertFrame = "Certificate";
    private const string ListFrame = "RevocationList";

    public static byte[] EncodeBody(CertificateBody body)
    {
        var proto = new P.CertificateBody
        {
            Serial = ProtoFields.Of(body.Serial.Value),
            SubjectPublicKey = ProtoFields.Of(body.Subject),
            Name = body.Name,
            NotValidBefore = UnixTime.ToSeconds(body.NotValidBefore),
            NotValidAfter = UnixTime.ToSeconds(body.NotValidAfter),
            AuthorityName = body.AuthorityName,
            AuthorityPublicKey = ProtoFields.Of(body.AuthorityKey),
        };
        proto.Properties.AddRange(body.Properties.Select(p => new P.CertificateProperty { Key = p.Key, Value = p.Value }));
        var bytes = proto.ToByteArray();
        ParseBody(bytes); // the authority must never sign something a verifier would reject
        return bytes;
    }

    public static CertificateBody ParseBody(ReadOnlySpan<byte> bytes)
    {
        var p = ProtoFields.Parse(P.CertificateBody.Parser, bytes, CertFrame, "body");
        if (p.Properties.Count > WireLimits.MaxProperties)
            throw new FrameFormatException(CertFrame, "properties", $"must have at most {WireLimits.MaxProperties} entries (got {p.Properties.Count})");
        var properties = p.Properties.Select(x => new CertificateProperty(
            ProtoFields.Text(x.Key, WireLimits.MaxPropertyKeyLength, CertFrame, "properties.key"),
            ProtoFields.Text(x.Value, WireLimits.MaxPropertyValueLength, CertFrame, "properties.value", allowEmpty: true))).ToList();
        var notBefore = ProtoFields.Time(p.NotValidBefore, CertFrame, "not_valid_before");
        var notAfter = ProtoFields.Time(p.NotValidAfter, CertFrame, "not_valid_after");
        if (notAfter <= notBefore)
            throw new FrameFormatException(CertFrame, "not_valid_after", "must be later than not_valid_before");
        return new CertificateBody(
            new CertificateSerial(ProtoFields.Id(p.Serial, CertFrame, "serial")),
            ProtoFields.Key(p.SubjectPublicKey, CertFrame, "subject_public_key"),
            ProtoFields.Text(p.Name, WireLimits.MaxNameLength, CertFrame, "name"),
            new ValueList<CertificateProperty>(properties),
            notBefore,
            notAfter,
            ProtoFields.Text(p.AuthorityName, WireLimits.MaxNameLength, CertFrame, "authority_name"),
            ProtoFields.Key(p.AuthorityPublicKey, CertFrame, "authority_public_key"));
    }

    internal static P.SignedCertificate ToProto(SignedCertificate certificate) => new()
    {
        Body = ProtoFields.Of(certificate.BodyBytes),
        Signature = ProtoFields.Of(certificate.Signature),
    };

    internal static SignedCertificate FromProto(P.SignedCertificate? proto, string frame, string field)
    {
        proto = ProtoFields.Required(proto, frame, field);
        // The same bytes as a certificate decoded before (an originator's next request): the same certificate.
        if (DecodedCertificates.TryGet(proto.Body.Span, proto.Signature.Span, out var known))
            return known;
        var bodyBytes = ProtoFields.Bounded(proto.Body, WireLimits.MaxFrameBytes, frame, field + ".body");
        var signature = ProtoFields.Signature(proto.Signature, frame, field + ".signature");
        var certificate = new SignedCertificate(bodyBytes, signature, ParseBody(bodyBytes.Span));
        DecodedCertificates.Add(certificate);
        return certificate;
    }

    public static byte[] EncodeRevocationBody(RevocationListBody body)
    {
        if (body.RevokedSerials.Count > WireLimits.MaxRevokedSerials)
            throw new FrameFormatException(ListFrame, "revoked_serials", $"must have at most {WireLimits.MaxRevokedSerials} entries");
        var proto = new P.RevocationListBody
        {
            AuthorityName = body.AuthorityName,
            AuthorityPublicKey = ProtoFields.Of(body.AuthorityKey),
            IssuedAt = UnixTime.ToSeconds(body.IssuedAt),
        };
        proto.RevokedSerials.AddRange(body.RevokedSerials.Select(s => ProtoFields.Of(s.Value)));
        return proto.ToByteArray();
    }

    public static RevocationListBody ParseRevocationBody(ReadOnlySpan<byte> bytes)
    {
        var p = ProtoFields.Parse(P.RevocationListBody.Parser, bytes, ListFrame, "body");
        if (p.RevokedSerials.Count > WireLimits.MaxRevokedSerials)
            throw new FrameFormatException(ListFrame, "revoked_serials", $"must have at most {WireLimits.MaxRevokedSerials} entries (got {p.RevokedSerials.Count})");
        return new RevocationListBody(
            ProtoFields.Text(p.AuthorityName, WireLimits.MaxNameLength, ListFrame, "authority_name"),
            ProtoFields.Key(p.AuthorityPublicKey, ListFrame, "authority_public_key"),
            ProtoFields.Time(p.IssuedAt, ListFrame, "issued_at"),
            new ValueList<CertificateSerial>(p.RevokedSerials.Select(s => new CertificateSerial(ProtoFields.Id(s, ListFrame, "revoked_serials")))));
    }

    public static byte[] EncodeSignedRevocationList(SignedRevocationList list) =>
        new P.SignedRevocationList { Body = ProtoFields.Of(list.BodyBytes), Signature = ProtoFields.Of(list.Signature) }.ToByteArray();

    public static SignedRevocationList ParseSignedRevocationList(ReadOnlySpan<byte> bytes)
    {
        var p = ProtoFields.Parse(P.SignedRevocationList.Parser, bytes, ListFrame, "signed");
        var body = ProtoFields.Bounded(p.Body, 1024 * 1024, ListFrame, "body");
        var signature = ProtoFields.Signature(p.Signature, ListFrame, "signature");
        return new SignedRevocationList(body, signature, ParseRevocationBody(body.Span));
    }

    public static byte[] EncodeSignedCertificate(SignedCertificate certificate) => ToProto(certificate).ToByteArray();

    public static SignedCertificate ParseSignedCertificate(ReadOnlySpan<byte> bytes) =>
        FromProto(ProtoFields.Parse(P.SignedCertificate.Parser, bytes, CertFrame, "signed"), CertFrame, "signed");
}
