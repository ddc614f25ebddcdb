using Akka.Actor;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Replies;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Replies;
using SweetGossip.Protocol.Topics;

namespace SweetGossip.Node.Tests.Actors;

/// <summary>A paid reply's validation with its replier (Validate/Ack). The node and settlement are probes; the reply is really sealed.</summary>
public class ReplyDeliveryTests : TestKit
{
    public ReplyDeliveryTests() : base(Support.TestKitConfig.Hocon)
    {
    }

    /// <summary>
    /// L8: anyone who saw the reply knows its sealed body hash and can send an Ack naming it. A forged Ack (any signature
    /// but the replier's) must not end the validation as unconfirmed: it is ignored and its sender scored, and the
    /// replier's real Ack still confirms the reply. Before, the first Ack with the right hash ended it, and the real one
    /// found no delivery waiting.
    /// </summary>
    [Fact]
    public void A_forged_ack_does_not_end_reply_validation()
    {
        var authority = new CertificateAuthority("Test Council", PrivateKey.Generate());
        var (rider, replyKey, driver) = (PrivateKey.Generate(), PrivateKey.Generate(), PrivateKey.Generate());
        var now = UnixTime.Truncate(DateTimeOffset.UtcNow);
        var request = SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(), TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now),
            authority.Issue(rider.PublicKey, "rider", [], now.AddDays(-1), now.AddDays(1)), replyKey.PublicKey, now, now.AddMinutes(20)), rider);
        var sealedReply = ReplySealer.Seal(request, "Prius, 6 min away", "driver:9735", 25_000,
            authority.Issue(driver.PublicKey, "taxi-driver", [], now.AddDays(-1), now.AddDays(1)), driver, Hash32.Random());
        var reply = sealedReply.ToFrame("lnbcrt-offer");
        var (node, settlement) = (CreateTestProbe(), CreateTestProbe());
        // The validation's deadline is far: only Acks end it here.
        var delivery = Sys.ActorOf(ReplyDelivery.Props(node.Ref, settlement.Ref,
            new ReplyPaid(new ReplyPurchase(request, replyKey, reply), sealedReply.Preimage, 25_000), TimeSpan.FromHours(1)));
        var validate = Assert.IsType<Validate>(node.ExpectMsg<SendDirect>().Frame);

        var forger = PrivateKey.Generate().PublicKey;
        var forged = new Ack(reply.PayloadId, reply.SealedBody.Sha256(), Bytes.Copy(new byte[64]));
        delivery.Tell(new FrameReceived(forger, forged));
        var report = node.ExpectMsg<ReportPeer>();
        Assert.Equal((forger, PeerBehaviour.InvalidFrame), (report.Peer, report.Behaviour));

        delivery.Tell(new FrameReceived(driver.PublicKey, ReplySealer.Acknowledge(validate, sealedReply, driver)));
        Assert.True(node.ExpectMsg<ReplyDelivered>().AckConfirmed);
        settlement.ExpectMsg<MarkReplyDelivered>();
    }
}
