using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Tests.Support;
using SweetGossip.Protocol.Wire;
using P = SweetGossip.Protocol.Wire.Proto;

namespace SweetGossip.Protocol.Tests.Wire;

/// <summary>Bad bytes from a peer give a FrameFormatException naming frame and field, never anything else.</summary>
public class MalformedInputTests
{
    private static readonly TestWorld World = new();

    private static readonly Func<byte[], object>[] Decoders =
    [
        b => FrameCodec.Decode(b),
        b => CertificateWire.ParseSignedCertificate(b),
        b => CertificateWire.ParseSignedRevocationList(b),
        b => ReplyWire.ParseHeader(b),
        b => ReplyWire.ParseBody(b),
        b => ReplyWire.ParseCommitment(b),
    ];

    [Property(MaxTest = 500)]
    public bool Random_bytes_into_every_decoder_give_only_a_frame_format_error(byte[] bytes)
    {
        foreach (var decode in Decoders)
        {
            try { decode(bytes); }
            catch (FrameFormatException) { }
        }
        return true; // any other exception fails the property
    }

    // Fields of the Envelope's frame oneof: every frame kind the wire knows, new ones included.
    private static readonly IReadOnlyList<FieldDescriptor> FrameFields = [.. P.Envelope.Descriptor.Oneofs.Single(o => o.Name == "frame").Fields];

    [Property(MaxTest = 500)]
    public bool Random_bytes_as_the_body_of_every_frame_kind_give_only_a_frame_format_error(byte[] body)
    {
        foreach (var field in FrameFields)
        {
            try { FrameCodec.Decode(EnvelopeWithRawFrame(field.FieldNumber, body)); }
            catch (FrameFormatException e) { Assert.False(string.IsNullOrEmpty(e.Field)); }
        }
        return true; // any other exception fails the property
    }

    /// <summary>One valid frame of each kind, built fresh so each holds its own ids and keys.</summary>
    private static readonly IReadOnlyDictionary<string, Func<Frame>> SampleFrames = new Dictionary<string, Func<Frame>>
    {
        [nameof(AskForFavour)] = () => new AskForFavour(AskId.New(), World.Request()),
        ["PowFavourConditions"] = () => new PowFavourConditions(AskId.New(), FavourId.New(), TestWorld.Now, "sha256", 12),
        ["LightningFavourConditions"] = () => new LightningFavourConditions(AskId.New(), FavourId.New(), TestWorld.Now, 1000, "lnbcrt10n1p"),
        [nameof(Broadcast)] = () => new Broadcast(FavourId.New(), World.Request(), new PowProof(7), 5, 1000),
        [nameof(Reply)] = () => new Reply(PayloadId.New(), Hash32.Random(), 42_000, "lnbcrt420n1p", Bytes.Copy(new byte[80]), Bytes.Copy(new byte[200])),
        [nameof(Validate)] = () => new Validate(PayloadId.New(), Hash32.Random(), Hash32.Random()),
        [nameof(Ack)] = () => new Ack(PayloadId.New(), Hash32.Random(), Bytes.Copy(new byte[64])),
        [nameof(ThankYou)] = () => new ThankYou(PayloadId.New(), Hash32.Random()),
        [nameof(LightningNodeAnnouncement)] = () => new LightningNodeAnnouncement(LightningNodeIds.Of(World.MiddlemanKey)),
        [nameof(TopicAnnouncement)] = () => new TopicAnnouncement(AskId.New(), PayloadId.New(), Hash32.Random(), 7),
        [nameof(AlreadyHave)] = () => new AlreadyHave(PayloadId.New()),
        [nameof(FavourDeclined)] = () => new FavourDeclined(PayloadId.New()),
    };

    public static TheoryData<string> FrameKinds => new(SampleFrames.Keys);

    [Fact]
    public void Every_frame_kind_of_the_envelope_has_a_sample_frame()
    {
        var sampled = SampleFrames.Values.Select(f => (int)P.Envelope.Parser.ParseFrom(FrameCodec.Encode(f())).FrameCase).ToHashSet();
        Assert.Equal(FrameFields.Select(f => f.FieldNumber).Order(), sampled.Order());
    }

    [Theory]
    [MemberData(nameof(FrameKinds))]
    public void Every_truncation_and_every_byte_flip_of_a_valid_frame_decodes_or_fails_with_a_named_error(string kind)
    {
        var bytes = FrameCodec.Encode(SampleFrames[kind]());
        for (var length = 0; length < bytes.Length; length++)
            AssertDecodesOrNamedError(bytes.AsSpan(0, length).ToArray());
        for (var i = 0; i < bytes.Length; i++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[i] ^= 0x55;
            AssertDecodesOrNamedError(flipped);
        }
    }

    /// <summary>An envelope (version 1) whose frame field holds arbitrary bytes as its message.</summary>
    private static byte[] EnvelopeWithRawFrame(int fieldNumber, byte[] body)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            output.WriteTag(P.Envelope.VersionFieldNumber, WireFormat.WireType.Varint);
            output.WriteUInt32(WireLimits.ProtocolVersion);
            output.WriteTag(fieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(body));
        }
        return buffer.ToArray();
    }

    private static void AssertDecodesOrNamedError(byte[] bytes)
    {
        try
        {
            FrameCodec.Decode(bytes);
        }
        catch (FrameFormatException e)
        {
            Assert.False(string.IsNullOrEmpty(e.Frame));
            Assert.False(string.IsNullOrEmpty(e.Field));
        }
    }

    private static P.Envelope ValidBroadcastEnvelope(out SignedRequestPayload request)
    {
        request = World.Request();
        return P.Envelope.Parser.ParseFrom(FrameCodec.Encode(new Broadcast(FavourId.New(), request, new PowProof(7), 5, 1000)));
    }

    private static FrameFormatException Reject(P.Envelope envelope) =>
        Assert.Throws<FrameFormatException>(() => FrameCodec.Decode(envelope.ToByteArray()));

    [Fact]
    public void Wrong_version_is_named()
    {
        var envelope = ValidBroadcastEnvelope(out _);
        envelope.Version = 2;
        Assert.Equal("Envelope.version: must be 1 (got 2)", Reject(envelope).Message);
    }

    [Fact]
    public void Empty_envelope_is_named()
    {
        var e = Reject(new P.Envelope { Version = 1 });
        Assert.Equal(("Envelope", "frame"), (e.Frame, e.Field));
    }

    [Fact]
    public void Short_signature_is_named()
    {
        var envelope = ValidBroadcastEnvelope(out _);
        envelope.Broadcast.SignedRequestPayload.OriginatorSignature = ByteString.CopyFrom(new byte[63]);
        Assert.Equal("Broadcast.signed_request_payload.originator_signature: must be 64 bytes (got 63)", Reject(envelope).Message);
    }

    [Fact]
    public void Missing_proof_is_named()
    {
        var envelope = ValidBroadcastEnvelope(out _);
        envelope.Broadcast.ClearProof();
        Assert.Equal(("Broadcast", "proof"), (Reject(envelope).Frame, Reject(envelope).Field));
    }

    [Fact]
    public void Too_many_hops_is_named()
    {
        var envelope = ValidBroadcastEnvelope(out _);
        envelope.Broadcast.HopsRemaining = WireLimits.MaxHops + 1;
        Assert.Equal("hops_remaining", Reject(envelope).Field);
    }

    [Fact]
    public void Nine_character_geohash_inside_a_signed_payload_is_named()
    {
        var envelope = ValidBroadcastEnvelope(out var request);
        var payload = P.RequestPayload.Parser.ParseFrom(request.PayloadBytes.Span);
        payload.Topic.Taxi.PickupGeohash = "r3gx2g5xy";
        envelope.Broadcast.SignedRequestPayload.Payload = payload.ToByteString();
        var e = Reject(envelope);
        Assert.Equal(("RequestPayload", "topic.taxi.pickup_geohash"), (e.Frame, e.Field));
        Assert.Contains("at most 8", e.Reason);
    }

    [Fact]
    public void Public_key_not_on_the_curve_is_named()
    {
        var envelope = ValidBroadcastEnvelope(out var request);
        var payload = P.RequestPayload.Parser.ParseFrom(request.PayloadBytes.Span);
        payload.ReplyPublicKey = ByteString.CopyFrom(Enumerable.Repeat((byte)0xFF, 32).ToArray()); // x >= p
        envelope.Broadcast.SignedRequestPayload.Payload = payload.ToByteString();
        Assert.Equal("RequestPayload.reply_public_key: is not a valid secp256k1 x-only public key", Reject(envelope).Message);
    }

    [Fact]
    public void Control_characters_in_a_certificate_name_are_named()
    {
        var body = P.CertificateBody.Parser.ParseFrom(World.ReplierCertificate.BodyBytes.Span);
        body.Name = "driver\u001b[31m";
        var e = Assert.Throws<FrameFormatException>(() => CertificateWire.ParseBody(body.ToByteArray()));
        Assert.Equal(("Certificate", "name"), (e.Frame, e.Field));
    }

    [Fact]
    public void Oversized_frame_is_refused_before_parsing()
    {
        var e = Assert.Throws<FrameFormatException>(() => FrameCodec.Decode(new byte[WireLimits.MaxFrameBytes + 1]));
        Assert.Contains("frame limit", e.Reason);
    }

    [Fact]
    public void Oversized_reply_body_is_named()
    {
        var reply = new Reply(PayloadId.New(), Hash32.Random(), 1, "lnbc1", Bytes.Copy(new byte[10]), Bytes.Copy(new byte[WireLimits.MaxSealedBodyBytes + 1]));
        var envelope = new P.Envelope
        {
            Version = 1,
            Reply = new P.Reply
            {
                PayloadId = ByteString.CopyFrom(Id16.ToBytes(reply.PayloadId.Value)),
                PaymentHash = ByteString.CopyFrom(reply.PaymentHash.ToArray()),
                Invoice = reply.Invoice,
                SealedHeader = ByteString.CopyFrom(reply.SealedHeader.Span),
                SealedBody = ByteString.CopyFrom(reply.SealedBody.Span),
            },
        };
        Assert.Equal("Reply.sealed_body: must be at most 16384 bytes (got 16385)", Reject(envelope).Message);
    }
}
