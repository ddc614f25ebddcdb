using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Tests.Support;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Validation;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Tests.Validation;

public class RequestValidatorTests
{
    private readonly TestWorld _world = new();
    private static readonly DateTimeOffset Now = TestWorld.Now;

    [Fact]
    public void A_well_formed_signed_request_is_valid()
    {
        var verdict = RequestValidator.Validate(_world.Request(), _world.Trusted, Now);
        Assert.True(verdict.IsValid, verdict.Reason);
    }

    [Fact]
    public void Flipping_any_byte_of_the_signed_part_of_an_ask_is_rejected()
    {
        var ask = new AskForFavour(AskId.New(), _world.Request());
        var bytes = FrameCodec.Encode(ask);
        var checkedSignedChanges = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[i] ^= 0x01;
            AskForFavour decoded;
            try
            {
                decoded = (AskForFavour)FrameCodec.Decode(flipped);
            }
            catch (FrameFormatException)
            {
                continue; // rejected at the wire
            }
            var signed = decoded.SignedRequest;
            if (signed.PayloadBytes.Equals(ask.SignedRequest.PayloadBytes) && signed.OriginatorSignature.Equals(ask.SignedRequest.OriginatorSignature))
                continue; // the flip hit the unsigned ask id: not a signed byte
            checkedSignedChanges++;
            Assert.False(RequestValidator.Validate(signed, _world.Trusted, Now).IsValid, $"flip at byte {i} was accepted");
        }
        Assert.True(checkedSignedChanges > 100, $"only {checkedSignedChanges} flips reached validation");
    }

    [Fact]
    public void Expired_future_and_too_long_lived_requests_are_rejected()
    {
        Assert.Contains("expired", Reject(_world.Payload(created: Now.AddHours(-2), expires: Now.AddSeconds(-1))));
        Assert.Contains("future", Reject(_world.Payload(created: Now.AddMinutes(10), expires: Now.AddHours(1))));
        Assert.Contains("lifetime", Reject(_world.Payload(created: Now, expires: Now.AddDays(8))));
    }

    [Fact]
    public void A_topic_whose_window_has_passed_is_rejected_naming_the_field()
    {
        var stale = new TaxiTopic("r3gx2g5", null, Now.AddHours(-2), Now.AddHours(-1));
        Assert.Contains("pickup_before", Reject(_world.Payload(topic: stale)));
    }

    [Fact]
    public void An_originator_with_a_revoked_certificate_is_rejected()
    {
        _world.Trusted.Accept(_world.Authority.PublishRevocations([_world.OriginatorCertificate.Body.Serial], Now));
        Assert.Contains("revoked", Reject(_world.Payload()));
    }

    [Fact]
    public void Signing_with_a_key_other_than_the_certificate_subject_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SignedRequestPayload.Sign(_world.Payload(), _world.ReplierKey));
    }

    private string Reject(RequestPayload payload)
    {
        var verdict = RequestValidator.Validate(_world.Request(payload), _world.Trusted, Now);
        Assert.False(verdict.IsValid);
        return verdict.Reason;
    }
}
