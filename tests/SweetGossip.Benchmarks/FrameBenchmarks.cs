using BenchmarkDotNet.Attributes;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Benchmarks;

// Wire codec cost for the frame a relay sees most: a Broadcast (signed request with certificate inside).
// Decode includes all structural checks (lengths, limits, public keys lifted onto the curve), not signatures.
//   dotnet run -c Release --project tests/SweetGossip.Benchmarks -- --filter '*FrameBenchmarks*' --job short
[MemoryDiagnoser]
public class FrameBenchmarks
{
    private Broadcast _broadcast = null!;
    private ThankYou _thankYou = null!;
    private byte[] _broadcastBytes = null!;
    private byte[] _thankYouBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var now = UnixTime.Truncate(DateTimeOffset.UtcNow);
        var authority = new CertificateAuthority("Bench Council", PrivateKey.Generate());
        var originator = PrivateKey.Generate();
        var certificate = authority.Issue(originator.PublicKey, "rider", [new("tier", "gold")], now.AddDays(-1), now.AddDays(365));
        var topic = TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now);
        var request = SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(), topic, certificate, PrivateKey.Generate().PublicKey, now, now.AddHours(1)), originator);
        _broadcast = new Broadcast(FavourId.New(), request, new PowProof(123456), 7, 2000);
        _broadcastBytes = FrameCodec.Encode(_broadcast);
        _thankYou = new ThankYou(PayloadId.New(), Hash32.Random());
        _thankYouBytes = FrameCodec.Encode(_thankYou);
    }

    [Benchmark]
    public byte[] EncodeBroadcast() => FrameCodec.Encode(_broadcast);

    [Benchmark]
    public Frame DecodeBroadcast() => FrameCodec.Decode(_broadcastBytes);

    [Benchmark]
    public byte[] EncodeThankYou() => FrameCodec.Encode(_thankYou);

    [Benchmark]
    public Frame DecodeThankYou() => FrameCodec.Decode(_thankYouBytes);

    public int BroadcastBytes => _broadcastBytes.Length;
}
