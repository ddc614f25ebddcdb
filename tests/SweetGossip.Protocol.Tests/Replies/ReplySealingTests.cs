using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Replies;
using SweetGossip.Protocol.Tests.Support;

namespace SweetGossip.Protocol.Tests.Replies;

public class ReplySealingTests
{
    private readonly TestWorld _world = new();
    private static readonly DateTimeOffset Now = TestWorld.Now;

    private (SignedRequestPayload Request, SealedReply Sealed, Reply Frame) Offer(ulong price = 20_000_000)
    {
        var request = _world.Request();
        var sealedReply = ReplySealer.Seal(request, "Prius, 6 min away", "127.0.0.1:9735", price, _world.ReplierCertificate, _world.ReplierKey);
        return (request, sealedReply, sealedReply.ToFrame("lnbcrt1invoice"));
    }

    [Fact]
    public void The_originator_checks_the_header_pays_and_reads_the_body()
    {
        var (request, sealedReply, reply) = Offer();
        var header = ReplyOpener.OpenHeader(reply, _world.ReplyKey, _world.Trusted, Now);
        Assert.Equal(_world.ReplierCertificate, header.ReplierCertificate);
        Assert.Equal(sealedReply.PaymentHash, sealedReply.Preimage.Sha256());
        var body = ReplyOpener.OpenBody(reply, _world.ReplyKey, sealedReply.Preimage, request);
        Assert.Equal(("Prius, 6 min away", "127.0.0.1:9735"), (body.Message, body.ContactAddress));
    }

    [Fact]
    public void Without_the_preimage_the_body_stays_closed()
    {
        var (request, _, reply) = Offer();
        var wrong = Hash32.Random();
        Assert.Contains("does not hash", Assert.Throws<ReplyRejectedException>(() => ReplyOpener.OpenBody(reply, _world.ReplyKey, wrong, request)).Message);
    }

    [Fact]
    public void A_middleman_who_learns_the_preimage_still_cannot_read_header_or_body()
    {
        var (request, sealedReply, reply) = Offer();
        Assert.Throws<ReplyRejectedException>(() => ReplyOpener.OpenHeader(reply, _world.MiddlemanKey, _world.Trusted, Now));
        Assert.Throws<ReplyRejectedException>(() => ReplyOpener.OpenBody(reply, _world.MiddlemanKey, sealedReply.Preimage, request));
    }

    [Fact]
    public void A_middleman_swapping_the_body_or_raising_the_price_is_caught_before_paying()
    {
        var (_, _, reply) = Offer();
        var (_, _, other) = Offer();
        Assert.Contains("swapped", Assert.Throws<ReplyRejectedException>(() =>
            ReplyOpener.OpenHeader(reply with { SealedBody = other.SealedBody }, _world.ReplyKey, _world.Trusted, Now)).Message);
        Assert.Contains("price", Assert.Throws<ReplyRejectedException>(() =>
            ReplyOpener.OpenHeader(reply with { ReplierPriceMsat = reply.ReplierPriceMsat + 1 }, _world.ReplyKey, _world.Trusted, Now)).Message);
        // Moving a header to another reply's payment hash breaks its authentication.
        Assert.Throws<ReplyRejectedException>(() =>
            ReplyOpener.OpenHeader(reply with { PaymentHash = Hash32.Random() }, _world.ReplyKey, _world.Trusted, Now));
    }

    [Fact]
    public void A_revoked_replier_is_refused_before_paying()
    {
        var (_, _, reply) = Offer();
        _world.Trusted.Accept(_world.Authority.PublishRevocations([_world.ReplierCertificate.Body.Serial], Now));
        Assert.Contains("revoked", Assert.Throws<ReplyRejectedException>(() => ReplyOpener.OpenHeader(reply, _world.ReplyKey, _world.Trusted, Now)).Message);
    }

    [Fact]
    public void Direct_validation_confirms_the_body_and_detects_tampering()
    {
        var (_, sealedReply, reply) = Offer();
        var header = ReplyOpener.OpenHeader(reply, _world.ReplyKey, _world.Trusted, Now);
        var ack = ReplySealer.Acknowledge(ReplyOpener.Validation(reply, sealedReply.Preimage), sealedReply, _world.ReplierKey);
        Assert.True(ReplyOpener.AckConfirms(ack, reply, header));

        var tampered = ReplyOpener.Validation(reply with { SealedBody = Bytes.Copy([1, 2, 3]) }, sealedReply.Preimage);
        Assert.Contains("tampered", Assert.Throws<ReplyRejectedException>(() => ReplySealer.Acknowledge(tampered, sealedReply, _world.ReplierKey)).Message);
        var forgedAck = ack with { ReplierSignature = Bytes.Copy(new byte[64]) };
        Assert.False(ReplyOpener.AckConfirms(forgedAck, reply, header));
    }

    [Fact]
    public void Paying_for_garbage_is_provable_fraud_and_an_honest_reply_is_not()
    {
        var (request, sealedReply, reply) = Offer();
        Assert.False(new FraudEvidence(reply, sealedReply.Preimage, _world.ReplyKey).ProvesFraud(out _));

        // A cheating replier commits to a body sealed under another secret, then is paid with P.
        var cheat = ReplySealer.Seal(request, "garbage", "nowhere:1", 1, _world.ReplierCertificate, _world.ReplierKey);
        var header = SweetGossip.Protocol.Wire.ReplyWire.ParseHeader(
            SealedBox.Open(_world.ReplyKey, cheat.SealedHeader.Span, ReplyAssociatedDataFor("header", cheat)));
        var bogusBody = SealedBox.Seal(_world.ReplyKey.PublicKey, [1, 2, 3], ReplyAssociatedDataFor("body", cheat), Hash32.Random().ToArray());
        var commitment = new ReplyCommitment(cheat.PayloadId, cheat.PaymentHash, Hash32.Of(bogusBody), cheat.PriceMsat);
        var commitmentBytes = SweetGossip.Protocol.Wire.ReplyWire.EncodeCommitment(commitment);
        var signature = DomainSignature.Sign(_world.ReplierKey, SignatureDomains.ReplyCommitment, commitmentBytes);
        var headerBytes = SweetGossip.Protocol.Wire.ReplyWire.EncodeHeader(header with
        {
            CommitmentBytes = Bytes.Copy(commitmentBytes), CommitmentSignature = Bytes.Copy(signature), Commitment = commitment,
        });
        var fraudulent = new Reply(cheat.PayloadId, cheat.PaymentHash, cheat.PriceMsat, "lnbcrt1",
            Bytes.Copy(SealedBox.Seal(_world.ReplyKey.PublicKey, headerBytes, ReplyAssociatedDataFor("header", cheat))), Bytes.Copy(bogusBody));

        // It passes every check before payment...
        ReplyOpener.OpenHeader(fraudulent, _world.ReplyKey, _world.Trusted, Now);
        // ...the body does not open after payment, and anyone can verify the evidence.
        Assert.Throws<ReplyRejectedException>(() => ReplyOpener.OpenBody(fraudulent, _world.ReplyKey, cheat.Preimage, request));
        Assert.True(new FraudEvidence(fraudulent, cheat.Preimage, _world.ReplyKey).ProvesFraud(out var serial));
        Assert.Equal(_world.ReplierCertificate.Body.Serial, serial);
    }

    private static byte[] ReplyAssociatedDataFor(string part, SealedReply reply) =>
        ReplyAssociatedData.For(part, reply.PayloadId, reply.PaymentHash);
}
