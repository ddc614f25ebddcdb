using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Tests.Support;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Tests.Wire;

/// <summary>Every frame survives encode → decode unchanged, for arbitrary field values within the limits.</summary>
public class FrameRoundTripTests
{
    private static readonly TestWorld World = new();

    private static readonly Gen<Guid> Guids = Gen.Choose(int.MinValue, int.MaxValue).ArrayOf(4)
        .Select(ints => new Guid(ints.SelectMany(BitConverter.GetBytes).ToArray()));

    private static readonly Gen<Hash32> Hashes = Gen.Choose(0, 255).ArrayOf(32)
        .Select(ints => Hash32.FromSpan(ints.Select(i => (byte)i).ToArray()));

    private static Gen<Bytes> Blob(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.Choose(0, 255).ArrayOf(n)).Select(ints => Bytes.Copy(ints.Select(i => (byte)i).ToArray()));

    private static readonly Gen<DateTimeOffset> Times = Gen.Choose(0, int.MaxValue).Select(s => UnixTime.FromSeconds(s));

    private static readonly Gen<ulong> Msat = Gen.Choose(0, int.MaxValue).Zip(Gen.Choose(0, int.MaxValue), (a, b) => ((ulong)a << 32) ^ (ulong)b);

    private static Gen<string> Text(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789 -_.:éł".ToCharArray()).ArrayOf(n))
            .Select(chars => new string(chars));

    private static readonly Gen<string> Geohashes =
        Gen.Choose(1, TaxiTopic.MaxGeohashPrecision).SelectMany(n => Gen.Elements(Geohash.Alphabet.ToCharArray()).ArrayOf(n)).Select(c => new string(c));

    private static readonly Gen<SignedRequestPayload> Requests =
        from id in Guids
        from pickup in Geohashes
        from dropoff in Gen.OneOf(Gen.Constant<string?>(null), Geohashes.Select(g => (string?)g))
        from after in Times
        from minutes in Gen.Choose(1, 10_000)
        from lifetime in Gen.Choose(1, 1_000_000)
        select SignedRequestPayload.Sign(
            new RequestPayload(new PayloadId(id), new TaxiTopic(pickup, dropoff, after, after.AddMinutes(minutes)),
                World.OriginatorCertificate, World.ReplyKey.PublicKey, after, after.AddSeconds(lifetime)),
            World.OriginatorKey);

    // Node ids from FsCheck's bytes, so a failing case replays; scalars outside [1, n-1] are skipped.
    private static readonly Gen<Bytes> NodeIds = Gen.Choose(0, 255).ArrayOf(32)
        .Select(ints => ints.Select(i => (byte)i).ToArray())
        .Where(bytes => PrivateKey.IsValid(bytes))
        .Select(LightningNodeIds.Of);

    private static readonly Gen<Frame> Frames = Gen.OneOf(
        from ask in Guids from request in Requests select (Frame)new AskForFavour(new AskId(ask), request),
        from ask in Guids from favour in Guids from until in Times from bits in Gen.Choose(0, 64) from scheme in Text(1, 16)
            select (Frame)new PowFavourConditions(new AskId(ask), new FavourId(favour), until, scheme, bits),
        from ask in Guids from favour in Guids from until in Times from price in Msat.Where(p => p > 0) from invoice in Text(1, 2048)
            select (Frame)new LightningFavourConditions(new AskId(ask), new FavourId(favour), until, price, invoice),
        from favour in Guids from request in Requests from nonce in Msat from preimage in Hashes from usePow in Gen.Elements(true, false)
            from hops in Gen.Choose(0, WireLimits.MaxHops) from fee in Msat
            select (Frame)new Broadcast(new FavourId(favour), request, usePow ? new PowProof(nonce) : new PaymentProof(preimage), hops, fee),
        from id in Guids from hash in Hashes from price in Msat from invoice in Text(1, 300) from header in Blob(1, 500) from body in Blob(1, 2000)
            select (Frame)new Reply(new PayloadId(id), hash, price, invoice, header, body),
        from id in Guids from hash in Hashes from preimage in Hashes select (Frame)new Validate(new PayloadId(id), hash, preimage),
        from id in Guids from hash in Hashes from signature in Blob(64, 64) select (Frame)new Ack(new PayloadId(id), hash, signature),
        from id in Guids from preimage in Hashes select (Frame)new ThankYou(new PayloadId(id), preimage),
        from nodeId in NodeIds select (Frame)new LightningNodeAnnouncement(nodeId),
        from ask in Guids from id in Guids from hash in Hashes from hops in Gen.Choose(0, WireLimits.MaxHops)
            select (Frame)new TopicAnnouncement(new AskId(ask), new PayloadId(id), hash, hops),
        from id in Guids select (Frame)new AlreadyHave(new PayloadId(id)),
        from id in Guids select (Frame)new FavourDeclined(new PayloadId(id)));

    [Property(MaxTest = 300)]
    public Property Every_frame_round_trips() =>
        Prop.ForAll(Frames.ToArbitrary(), frame =>
        {
            var decoded = FrameCodec.Decode(FrameCodec.Encode(frame));
            return decoded.Equals(frame) && decoded.GetType() == frame.GetType();
        });

    [Property(MaxTest = 200)]
    public Property Round_trip_through_length_prefixed_stream_in_random_chunks() =>
        Prop.ForAll(Frames.ArrayOf(3).ToArbitrary(), Gen.Choose(1, 97).ToArbitrary(), (frames, chunk) =>
        {
            var stream = frames.SelectMany(f => LengthPrefix.Wrap(FrameCodec.Encode(f))).ToArray();
            var decoder = new FrameStreamDecoder();
            var received = new List<Frame>();
            for (var i = 0; i < stream.Length; i += chunk)
                received.AddRange(decoder.Feed(stream.AsSpan(i, Math.Min(chunk, stream.Length - i))).Select(b => FrameCodec.Decode(b)));
            return received.SequenceEqual(frames) && decoder.Pending == 0;
        });

    [Fact]
    public void Reply_parts_round_trip()
    {
        var commitment = new ReplyCommitment(PayloadId.New(), Hash32.Random(), Hash32.Random(), 42_000);
        Assert.Equal(commitment, ReplyWire.ParseCommitment(ReplyWire.EncodeCommitment(commitment)));
        var body = new ReplyBody("4 seats, 6 min", "10.0.0.1:9735", Hash32.Random());
        Assert.Equal(body, ReplyWire.ParseBody(ReplyWire.EncodeBody(body)));
    }

    [Fact]
    public void Certificates_and_revocation_lists_round_trip()
    {
        var certificate = World.ReplierCertificate;
        Assert.Equal(certificate, CertificateWire.ParseSignedCertificate(CertificateWire.EncodeSignedCertificate(certificate)));
        var list = World.Authority.PublishRevocations([certificate.Body.Serial, CertificateSerial.New()], TestWorld.Now);
        Assert.Equal(list, CertificateWire.ParseSignedRevocationList(CertificateWire.EncodeSignedRevocationList(list)));
    }
}
