using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Tests.Peers;

/// <summary>What each peer connection does before the node sees a frame: drop the seen, refuse the invalid, verify asks.</summary>
public class FrameScreenTests
{
    private static readonly DateTimeOffset Now = UnixTime.Truncate(DateTimeOffset.UtcNow);
    private readonly CertificateAuthority _authority = new("Test Council", PrivateKey.Generate());
    private readonly FrameScreen _screen;
    private readonly PrivateKey _rider = PrivateKey.Generate();

    public FrameScreenTests()
    {
        var trusted = new TrustedAuthorities();
        trusted.Trust(_authority.Name, _authority.PublicKey);
        _screen = new FrameScreen(trusted);
    }

    private SignedRequestPayload Request(CertificateAuthority? by = null) => SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(),
        TaxiTopic.Create(-33.8647, 151.2096, 7, Now, Now.AddMinutes(30), Now), (by ?? _authority).Issue(_rider.PublicKey, "rider", [], Now.AddDays(-1), Now.AddDays(1)),
        PrivateKey.Generate().PublicKey, Now, Now.AddMinutes(20)), _rider);

    [Fact]
    public void An_ask_is_verified_once_and_passed_on_as_verified()
    {
        var request = Request();
        var bytes = FrameCodec.Encode(new AskForFavour(AskId.New(), request));
        Assert.Equal(new ScreenResult.Pass(FrameCodec.Decode(bytes), Verified: true), _screen.Screen(bytes, Now));
        Assert.True(_screen.Verified.Contains(request));
    }

    [Fact]
    public void An_ask_or_broadcast_of_a_seen_payload_is_dropped_before_its_decode()
    {
        var request = Request();
        _screen.Seen.TryAdd(request.Payload.PayloadId, request.Payload.ExpiresAt);
        Assert.Equal(new ScreenResult.Seen(request.Payload.PayloadId, IsAsk: true), _screen.Screen(FrameCodec.Encode(new AskForFavour(AskId.New(), request)), Now));
        Assert.Equal(new ScreenResult.Seen(request.Payload.PayloadId, IsAsk: false),
            _screen.Screen(FrameCodec.Encode(new Broadcast(FavourId.New(), request, new PowProof(1), 2, 0)), Now));
        Assert.False(_screen.Verified.Contains(request)); // nothing verified for it
    }

    [Fact]
    public void An_ask_under_an_untrusted_authority_is_invalid_and_bad_bytes_are_malformed()
    {
        var stranger = new CertificateAuthority("Elsewhere", PrivateKey.Generate());
        var invalid = Assert.IsType<ScreenResult.Invalid>(_screen.Screen(FrameCodec.Encode(new AskForFavour(AskId.New(), Request(stranger))), Now));
        Assert.Contains("originator", invalid.Reason);
        Assert.IsType<ScreenResult.Malformed>(_screen.Screen([0x08, 0x01, 0xFF], Now));
    }

    [Fact]
    public void Other_frames_pass_decoded_and_unverified()
    {
        var thanks = new ThankYou(PayloadId.New(), Hash32.Random());
        Assert.Equal(new ScreenResult.Pass(thanks, Verified: false), _screen.Screen(FrameCodec.Encode(thanks), Now));
    }
}
