using Google.Protobuf;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Tests.Support;
using SweetGossip.Protocol.Wire;
using P = SweetGossip.Protocol.Wire.Proto;

namespace SweetGossip.Protocol.Tests.Wire;

/// <summary>The decoder's memory of requests is process-wide: these tests run alone, so nothing clears it under them.</summary>
[CollectionDefinition(nameof(DecodedRequestsCollection), DisableParallelization = true)]
public class DecodedRequestsCollection;

/// <summary>A request decoded again is not parsed again, and remembering one never vouches for other bytes.</summary>
[Collection(nameof(DecodedRequestsCollection))]
public class DecodedRequestsTests
{
    private readonly TestWorld _world = new();

    private static byte[] Wire(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature) => new P.SignedRequestPayload
    {
        Payload = ByteString.CopyFrom(payload),
        OriginatorSignature = ByteString.CopyFrom(signature),
    }.ToByteArray();

    [Fact]
    public void An_ask_and_its_broadcast_decode_to_one_request_parsed_once()
    {
        var request = _world.Request();
        var ask = (AskForFavour)FrameCodec.Decode(FrameCodec.Encode(new AskForFavour(AskId.New(), request)));
        var broadcast = (Broadcast)FrameCodec.Decode(FrameCodec.Encode(new Broadcast(FavourId.New(), request, new PowProof(7), 3, 0)));
        Assert.Same(ask.SignedRequest, broadcast.SignedRequest);
        Assert.Equal(request, broadcast.SignedRequest);
        Assert.True(broadcast.SignedRequest.HasValidSignature());
    }

    [Fact]
    public void A_remembered_signature_over_other_payload_bytes_is_decoded_afresh_and_fails_verification()
    {
        var genuine = _world.Request();
        var remembered = SignedRequestCodec.Decode(Wire(genuine.PayloadBytes.Span, genuine.OriginatorSignature.Span));

        // The attack: the genuine signature replayed over a payload the originator never signed (a later expiry).
        var forgedPayload = RequestWire.EncodePayload(genuine.Payload with { ExpiresAt = genuine.Payload.ExpiresAt.AddHours(1) });
        var forged = SignedRequestCodec.Decode(Wire(forgedPayload, genuine.OriginatorSignature.Span));

        Assert.NotSame(remembered, forged);
        Assert.Equal(genuine.Payload.ExpiresAt.AddHours(1), forged.Payload.ExpiresAt);
        Assert.Equal(forgedPayload, forged.PayloadBytes.Span.ToArray());
        Assert.False(forged.HasValidSignature());
    }

    [Fact]
    public void Malformed_payload_bytes_under_a_remembered_signature_are_still_refused()
    {
        var genuine = _world.Request();
        SignedRequestCodec.Decode(Wire(genuine.PayloadBytes.Span, genuine.OriginatorSignature.Span));

        var truncated = genuine.PayloadBytes.Span[..^5].ToArray();
        Assert.Throws<FrameFormatException>(() => SignedRequestCodec.Decode(Wire(truncated, genuine.OriginatorSignature.Span)));
        Assert.Throws<FrameFormatException>(() => SignedRequestCodec.Decode(Wire([], genuine.OriginatorSignature.Span)));
    }

    [Fact]
    public void An_originators_next_request_shares_the_decoded_certificate()
    {
        var first = SignedRequestCodec.Decode(SignedRequestCodec.Encode(_world.Request()));
        var second = SignedRequestCodec.Decode(SignedRequestCodec.Encode(_world.Request()));
        Assert.NotEqual(first.Payload.PayloadId, second.Payload.PayloadId);
        Assert.Same(first.Payload.OriginatorCertificate, second.Payload.OriginatorCertificate);
    }

    [Fact]
    public void A_remembered_authority_signature_over_another_certificate_body_is_decoded_afresh_and_refused()
    {
        var genuine = _world.OriginatorCertificate;
        var remembered = CertificateWire.ParseSignedCertificate(CertificateWire.EncodeSignedCertificate(genuine));

        // The attack: the authority's signature replayed over a body it never signed (another subject key).
        var other = _world.Authority.Issue(SweetGossip.Protocol.Crypto.PrivateKey.Generate().PublicKey, "rider", [], TestWorld.Now.AddDays(-1), TestWorld.Now.AddDays(1));
        var forged = CertificateWire.ParseSignedCertificate(CertificateWire.EncodeSignedCertificate(new SignedCertificate(other.BodyBytes, genuine.Signature, other.Body)));

        Assert.NotSame(remembered, forged);
        Assert.Equal(other.Body.Subject, forged.Body.Subject);
        Assert.Equal(CertificateVerdict.ForgedSignature, CertificateVerifier.Verify(forged, _world.Trusted, TestWorld.Now));
    }

    [Fact]
    public void A_flood_of_distinct_requests_keeps_the_decoders_memory_within_its_capacity()
    {
        var payload = _world.Request();
        // Distinct signatures over one payload are enough to fill the memory (each signature is a new entry).
        for (var i = 0; i < DecodedRequests.Capacity + 100; i++)
        {
            var signature = new byte[WireLimits.SignatureLength];
            Random.Shared.NextBytes(signature);
            SignedRequestCodec.Decode(Wire(payload.PayloadBytes.Span, signature));
            Assert.InRange(DecodedRequests.Count, 1, DecodedRequests.Capacity);
        }
    }
}
