using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Tests.Support;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Tests.Certificates;

public class CertificateVerifierTests
{
    private readonly TestWorld _world = new();
    private static readonly DateTimeOffset Now = TestWorld.Now;

    private SignedCertificate Driver => _world.ReplierCertificate;

    [Fact]
    public void A_genuine_certificate_in_its_window_is_valid()
    {
        Assert.Equal(CertificateVerdict.Valid, CertificateVerifier.Verify(Driver, _world.Trusted, Now));
        Assert.Equal("B", Driver.Body.Property("licence"));
    }

    [Fact]
    public void Expired_and_not_yet_valid_are_told_apart()
    {
        Assert.Equal(CertificateVerdict.Expired, CertificateVerifier.Verify(Driver, _world.Trusted, Driver.Body.NotValidAfter.AddSeconds(1)));
        Assert.Equal(CertificateVerdict.NotYetValid, CertificateVerifier.Verify(Driver, _world.Trusted, Driver.Body.NotValidBefore.AddSeconds(-1)));
        Assert.Equal(CertificateVerdict.Valid, CertificateVerifier.Verify(Driver, _world.Trusted, Driver.Body.NotValidAfter));
    }

    [Fact]
    public void A_revoked_certificate_is_rejected_once_the_list_is_accepted()
    {
        var list = _world.Authority.PublishRevocations([Driver.Body.Serial], Now);
        Assert.Equal(RevocationListVerdict.Accepted, _world.Trusted.Accept(list));
        Assert.Equal(CertificateVerdict.Revoked, CertificateVerifier.Verify(Driver, _world.Trusted, Now));
        Assert.Equal(CertificateVerdict.Valid, CertificateVerifier.Verify(_world.OriginatorCertificate, _world.Trusted, Now));
    }

    [Fact]
    public void A_node_can_revoke_a_serial_on_its_own_word_and_keeps_it_when_the_authoritys_list_arrives()
    {
        _world.Trusted.RevokeByNode(_world.Authority.Name, Driver.Body.Serial);
        Assert.Equal(CertificateVerdict.RevokedByNode, CertificateVerifier.Verify(Driver, _world.Trusted, Now));
        Assert.Equal(CertificateVerdict.Valid, CertificateVerifier.Verify(_world.OriginatorCertificate, _world.Trusted, Now));

        Assert.Equal(RevocationListVerdict.Accepted, _world.Trusted.Accept(_world.Authority.PublishRevocations([], Now)));
        Assert.Equal(CertificateVerdict.RevokedByNode, CertificateVerifier.Verify(Driver, _world.Trusted, Now));
        Assert.Throws<InvalidOperationException>(() => _world.Trusted.RevokeByNode("No Such Council", Driver.Body.Serial));
    }

    [Fact]
    public void A_certificate_from_an_untrusted_authority_is_rejected()
    {
        var rogue = new CertificateAuthority(_world.Authority.Name + " (rogue)", PrivateKey.Generate());
        var certificate = rogue.Issue(_world.ReplierKey.PublicKey, "taxi-driver", [], Now.AddDays(-1), Now.AddDays(1));
        Assert.Equal(CertificateVerdict.UnknownAuthority, CertificateVerifier.Verify(certificate, _world.Trusted, Now));
    }

    [Fact]
    public void A_certificate_naming_a_trusted_authority_with_another_key_is_rejected()
    {
        var impostor = new CertificateAuthority(_world.Authority.Name, PrivateKey.Generate());
        var certificate = impostor.Issue(_world.ReplierKey.PublicKey, "taxi-driver", [], Now.AddDays(-1), Now.AddDays(1));
        Assert.Equal(CertificateVerdict.AuthorityKeyMismatch, CertificateVerifier.Verify(certificate, _world.Trusted, Now));
    }

    [Fact]
    public void A_forged_signature_is_rejected()
    {
        var signature = Driver.Signature.ToArray();
        signature[10] ^= 1;
        var forged = Reassemble(Driver.BodyBytes.ToArray(), signature);
        Assert.Equal(CertificateVerdict.ForgedSignature, CertificateVerifier.Verify(forged, _world.Trusted, Now));
    }

    [Fact]
    public void Flipping_any_byte_of_the_signed_body_is_rejected()
    {
        var body = Driver.BodyBytes.ToArray();
        for (var i = 0; i < body.Length; i++)
        {
            var flipped = (byte[])body.Clone();
            flipped[i] ^= 0x01;
            SignedCertificate tampered;
            try
            {
                tampered = Reassemble(flipped, Driver.Signature.ToArray());
            }
            catch (FrameFormatException)
            {
                continue; // no longer parses: rejected at the wire
            }
            Assert.NotEqual(CertificateVerdict.Valid, CertificateVerifier.Verify(tampered, _world.Trusted, Now));
        }
    }

    [Fact]
    public void A_certificate_signature_is_not_valid_as_any_other_signature()
    {
        // Domain separation: the authority's signature over the body bytes verifies only as a certificate signature.
        Assert.True(DomainSignature.Verify(_world.Authority.PublicKey, SignatureDomains.Certificate, Driver.BodyBytes.Span, Driver.Signature.Span));
        Assert.False(DomainSignature.Verify(_world.Authority.PublicKey, SignatureDomains.RequestPayload, Driver.BodyBytes.Span, Driver.Signature.Span));
    }

    [Fact]
    public void Forged_stale_and_foreign_revocation_lists_are_refused_with_their_reason()
    {
        var newer = _world.Authority.PublishRevocations([], Now);
        var older = _world.Authority.PublishRevocations([Driver.Body.Serial], Now.AddDays(-1));
        Assert.Equal(RevocationListVerdict.Accepted, _world.Trusted.Accept(newer));
        Assert.Equal(RevocationListVerdict.Stale, _world.Trusted.Accept(older));

        var signature = newer.Signature.ToArray();
        signature[0] ^= 0x80;
        var forged = CertificateWire.ParseSignedRevocationList(Wrap(newer.BodyBytes.ToArray(), signature));
        Assert.Equal(RevocationListVerdict.ForgedSignature, _world.Trusted.Accept(forged));

        var foreign = new CertificateAuthority("Elsewhere", PrivateKey.Generate()).PublishRevocations([Driver.Body.Serial], Now);
        Assert.Equal(RevocationListVerdict.UnknownAuthority, _world.Trusted.Accept(foreign));
        var impostor = new CertificateAuthority(_world.Authority.Name, PrivateKey.Generate()).PublishRevocations([Driver.Body.Serial], Now.AddDays(1));
        Assert.Equal(RevocationListVerdict.AuthorityKeyMismatch, _world.Trusted.Accept(impostor));

        // None of the refused lists took effect.
        Assert.Equal(CertificateVerdict.Valid, CertificateVerifier.Verify(Driver, _world.Trusted, Now));
    }

    [Fact]
    public void Every_verdict_has_its_own_description()
    {
        var texts = Enum.GetValues<CertificateVerdict>().Select(v => v.Describe()).ToList();
        Assert.Equal(texts.Count, texts.Distinct().Count());
        var listTexts = Enum.GetValues<RevocationListVerdict>().Select(v => v.Describe()).ToList();
        Assert.Equal(listTexts.Count, listTexts.Distinct().Count());
    }

    [Fact]
    public void Issuing_checks_the_window_and_truncates_to_seconds()
    {
        Assert.Throws<ArgumentException>(() => _world.Authority.Issue(_world.ReplierKey.PublicKey, "x", [], Now, Now));
        var certificate = _world.Authority.Issue(_world.ReplierKey.PublicKey, "x", [], Now.AddMilliseconds(300), Now.AddDays(1));
        Assert.Equal(Now, certificate.Body.NotValidBefore);
    }

    private static SignedCertificate Reassemble(byte[] body, byte[] signature)
    {
        var proto = new Protocol.Wire.Proto.SignedCertificate
        {
            Body = Google.Protobuf.ByteString.CopyFrom(body),
            Signature = Google.Protobuf.ByteString.CopyFrom(signature),
        };
        return CertificateWire.ParseSignedCertificate(Google.Protobuf.MessageExtensions.ToByteArray(proto));
    }

    private static byte[] Wrap(byte[] body, byte[] signature) =>
        Google.Protobuf.MessageExtensions.ToByteArray(new Protocol.Wire.Proto.SignedRevocationList
        {
            Body = Google.Protobuf.ByteString.CopyFrom(body),
            Signature = Google.Protobuf.ByteString.CopyFrom(signature),
        });
}
