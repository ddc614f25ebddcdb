using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
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

/// <summary>
/// The originator's checks before paying an offer: the invoice must be under the replier's committed hash, pay the
/// neighbour that sent it (its announced Lightning node), and ask no more relay fees than the caps allow.
/// Settlement and the topic are probes; the reply is really sealed by a certified replier.
/// </summary>
public class OriginatorReplyTests : TestKit
{
    private const ulong Price = 25_000_000;
    private readonly CertificateAuthority _authority = new("Test Council", PrivateKey.Generate());
    private readonly TrustedAuthorities _trusted = new();
    private readonly PrivateKey _rider = PrivateKey.Generate();
    private readonly PrivateKey _replyKey = PrivateKey.Generate();
    private readonly PublicKey _neighbour = PrivateKey.Generate().PublicKey;
    private readonly LightningNodeId _neighbourNode = LightningNodeId.FromPrivateKey(PrivateKey.Generate());
    private readonly TestProbe _node;
    private readonly TestProbe _settlement;
    private readonly TestProbe _topic;
    private readonly SignedRequestPayload _request;
    private readonly Reply _reply;

    public OriginatorReplyTests() : base(Support.TestKitConfig.Hocon)
    {
        _trusted.Trust(_authority.Name, _authority.PublicKey);
        (_node, _settlement, _topic) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        var now = UnixTime.Truncate(DateTimeOffset.UtcNow);
        _request = SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(), TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now),
            _authority.Issue(_rider.PublicKey, "rider", [], now.AddDays(-1), now.AddDays(1)), _replyKey.PublicKey, now, now.AddMinutes(20)), _rider);
        var driver = PrivateKey.Generate();
        var sealedReply = ReplySealer.Seal(_request, "Prius, 6 min away", "driver:9735", Price,
            _authority.Issue(driver.PublicKey, "taxi-driver", [], now.AddDays(-1), now.AddDays(1)), driver, Hash32.Random());
        _reply = sealedReply.ToFrame("lnbcrt-offer");
    }

    private NodeSettings Settings => NodeDefaults.Node with
    {
        Identity = _rider, CertificateKey = _rider, Certificate = _request.Payload.OriginatorCertificate, Trusted = _trusted, ContactAddress = "me",
        MaxHops = 8, MaxRelayFeeMsat = 2_000, MaxPathFeeMsat = 10_000,
    };

    private IActorRef Start(LightningNodeId? neighbourNode) => _topic.ChildActorOf(OriginatorReply.Props(
        Settings, TimeProvider.System, _node.Ref, _settlement.Ref, _request, _replyKey, _reply, _neighbour, neighbourNode));

    private DecodedPaymentRequest Invoice(ulong amountMsat, LightningNodeId? payee = null, Hash32? hash = null) =>
        new(payee ?? _neighbourNode, hash ?? _reply.PaymentHash, amountMsat, "", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(30), 120);

    [Fact]
    public void An_acceptable_offer_is_paid_with_its_terms_and_the_reply_journaled_for_delivery()
    {
        var offer = Start(_neighbourNode);
        _settlement.ExpectMsg<DecodeInvoice>();
        offer.Tell(Invoice(Price + 3_000), _settlement.Ref);
        _topic.ExpectMsg<OriginatorReply.WantToPay>();
        offer.Tell(OriginatorReply.PayGranted.Instance, _topic.Ref);

        var pay = _settlement.ExpectMsg<PayInvoice>();
        Assert.Equal(new PaymentTerms(ExactAmountMsat: Price + 3_000, Payee: _neighbourNode, PaymentHash: _reply.PaymentHash), pay.Terms);
        Assert.Equal(new ReplyPurchase(_request, _replyKey, _reply), pay.Purchase);
    }

    [Fact]
    public void An_invoice_paying_another_node_than_the_neighbour_announced_is_refused_and_the_neighbour_scored()
    {
        var offer = Start(_neighbourNode);
        _settlement.ExpectMsg<DecodeInvoice>();
        offer.Tell(Invoice(Price + 3_000, payee: LightningNodeId.FromPrivateKey(PrivateKey.Generate())), _settlement.Ref);

        var report = _node.ExpectMsg<ReportPeer>();
        Assert.Equal((_neighbour, PeerBehaviour.InvalidFrame), (report.Peer, report.Behaviour));
        Assert.Contains(nameof(SettlementRefusal.PayeeMismatch), report.Detail);
        _topic.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void An_invoice_under_another_hash_than_the_replier_committed_to_is_refused_and_scored()
    {
        var offer = Start(_neighbourNode);
        _settlement.ExpectMsg<DecodeInvoice>();
        offer.Tell(Invoice(Price, hash: Hash32.Random()), _settlement.Ref);
        Assert.Contains(nameof(SettlementRefusal.PaymentHashMismatch), _node.ExpectMsg<ReportPeer>().Detail);
    }

    [Theory]
    [InlineData(10_001UL)] // above max-path-fee-msat
    [InlineData(Price)] // twice the price: relay fees above the cap
    public void An_offer_whose_relay_fees_exceed_the_caps_is_refused_before_asking_to_pay(ulong pathFee)
    {
        var offer = Start(_neighbourNode);
        _settlement.ExpectMsg<DecodeInvoice>();
        offer.Tell(Invoice(Price + pathFee), _settlement.Ref);
        Watch(offer);
        ExpectTerminated(offer);
        _topic.ExpectNoMsg(TimeSpan.Zero);
        _settlement.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void The_per_hop_cap_bounds_the_path_fee_by_max_hops()
    {
        var settings = Settings with { MaxRelayFeeMsat = 1_000, MaxPathFeeMsat = 1_000_000 }; // 8 hops x 1,000 = 8,000 msat
        var offer = _topic.ChildActorOf(OriginatorReply.Props(settings, TimeProvider.System, _node.Ref, _settlement.Ref, _request, _replyKey, _reply, _neighbour, _neighbourNode));
        _settlement.ExpectMsg<DecodeInvoice>();
        offer.Tell(Invoice(Price + 8_001), _settlement.Ref);
        Watch(offer);
        ExpectTerminated(offer);
        _topic.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_neighbour_that_never_announced_its_lightning_node_is_not_paid()
    {
        Start(neighbourNode: null);
        Assert.Equal(PeerBehaviour.InvalidFrame, _node.ExpectMsg<ReportPeer>().Behaviour);
        _settlement.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
