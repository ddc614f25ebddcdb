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

    // An unknown length-delimited field (number 1000): parsers skip it, but it stays in the signed bytes.
    private static byte[] PaddingField(int length)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(1000, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(new byte[length]));
        output.Flush();
        return stream.ToArray();
    }

    private static byte[] RandomSignature()
    {
        var signature = new byte[WireLimits.SignatureLength];
        Random.Shared.NextBytes(signature);
        return signature;
    }

    [Fact]
    public void The_decoder_memory_is_bounded_in_bytes_under_a_flood_of_padded_asks()
    {
        var genuine = _world.Request();
        // The attack: asks padded with unknown fields to ~60 KB, in the payload and in the certificate body, each under a
        // random signature (requests and certificates), decoded before any signature is checked.
        for (var i = 0; i < 200; i++)
        {
            var payload = P.RequestPayload.Parser.ParseFrom(genuine.PayloadBytes.Span);
            payload.OriginatorCertificate.Body = ByteString.CopyFrom([.. payload.OriginatorCertificate.Body.Span, .. PaddingField(28 * 1024)]);
            payload.OriginatorCertificate.Signature = ByteString.CopyFrom(RandomSignature());
            var padded = SignedRequestCodec.Decode(Wire([.. payload.ToByteArray(), .. PaddingField(28 * 1024)], RandomSignature()));
            Assert.True(padded.PayloadBytes.Length > 56 * 1024);
            Assert.InRange(DecodedRequests.WeightInBytes, 0, DecodedRequests.MaxBytes);
            Assert.InRange(DecodedCertificates.WeightInBytes, 0, DecodedCertificates.MaxBytes);
        }

        // Real requests are still remembered: an ask and its broadcast share one decoded request.
        var ask = (AskForFavour)FrameCodec.Decode(FrameCodec.Encode(new AskForFavour(AskId.New(), genuine)));
        var broadcast = (Broadcast)FrameCodec.Decode(FrameCodec.Encode(new Broadcast(FavourId.New(), genuine, new PowProof(7), 3, 0)));
        Assert.Same(ask.SignedRequest, broadcast.SignedRequest);
        Assert.InRange(genuine.PayloadBytes.Length, 1, DecodedRequests.MaxEntryBytes / 4);
    }
}
