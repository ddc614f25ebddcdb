using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Pow;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Node.Tests.Actors;

/// <summary>One topic's actor, with probes for its node and settlement and a real PoW pool.</summary>
public class TopicActorTests : TestKit
{
    private readonly CertificateAuthority _authority = new("Test Council", PrivateKey.Generate());
    private readonly PrivateKey _key = PrivateKey.Generate();
    private readonly PublicKey _source = PrivateKey.Generate().PublicKey;
    private readonly TestProbe _node;
    private readonly TestProbe _settlement;
    private readonly IActorRef _pow;

    public TopicActorTests() : base(SweetGossip.Node.Hosting.NodeConfig.Reference.WithFallback(Akka.Configuration.ConfigurationFactory.ParseString(Support.TestKitConfig.Hocon)))
    {
        _node = CreateTestProbe();
        _settlement = CreateTestProbe();
        _pow = Sys.ActorOf(PowWorker.Pool(1));
    }

    private NodeSettings Settings(IReplyPolicy? policy = null)
    {
        var now = DateTimeOffset.UtcNow;
        var trusted = new TrustedAuthorities();
        trusted.Trust(_authority.Name, _authority.PublicKey);
        return new NodeSettings
        {
            Identity = _key,
            CertificateKey = _key,
            Certificate = _authority.Issue(_key.PublicKey, "relay", [], now.AddDays(-1), now.AddDays(1)),
            Trusted = trusted,
            ContactAddress = "me",
            Fanout = 2,
            RelayFeeMsat = 700,
            ReplyPolicy = policy ?? NeverReply.Instance,
        };
    }

    private Broadcast Received(int hopsRemaining)
    {
        var now = UnixTime.Truncate(DateTimeOffset.UtcNow);
        var rider = PrivateKey.Generate();
        var certificate = _authority.Issue(rider.PublicKey, "rider", [], now.AddDays(-1), now.AddDays(1));
        var request = SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(), TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now),
            certificate, PrivateKey.Generate().PublicKey, now, now.AddMinutes(20)), rider);
        return new Broadcast(FavourId.New(), request, new PowProof(0), hopsRemaining, 1_000);
    }

    [Fact]
    public void A_relayed_topic_asks_the_chosen_peers_pays_their_proof_of_work_and_broadcasts_one_hop_less_and_one_fee_more()
    {
        var broadcast = Received(hopsRemaining: 5);
        var topic = Sys.ActorOf(TopicActor.ForBroadcast(Settings(), TimeProvider.System, _node.Ref, _settlement.Ref, _pow, broadcast, _source));

        var choose = _node.ExpectMsg<ChoosePeers>();
        Assert.Equal((_source, 2, broadcast.SignedRequest.Payload.PayloadId), (choose.Exclude, choose.Count, choose.PayloadId));
        var peer = PrivateKey.Generate().PublicKey;
        var link = CreateTestProbe();
        var askId = AskId.New();
        topic.Tell(new PeersChosen([new ChosenPeer(peer, link.Ref, askId)]), _node.Ref);
        var ask = (AskForFavour)link.ExpectMsg<SendFrame>().Frame; // straight to the link, under the ask id the node registered
        Assert.Equal((askId, broadcast.SignedRequest), (ask.AskId, ask.SignedRequest));

        var conditions = new PowFavourConditions(ask.AskId, FavourId.New(), UnixTime.Truncate(DateTimeOffset.UtcNow.AddMinutes(2)), PowSchemes.Sha256, 10);
        topic.Tell(new FrameReceived(peer, conditions));
        var onward = (Broadcast)link.ExpectMsg<SendFrame>().Frame;
        Assert.Equal((conditions.FavourId, 4, 1_700UL), (onward.FavourId, onward.HopsRemaining, onward.PathFeeMsat));
        var issued = new IssuedFavour(conditions, broadcast.SignedRequest.PayloadHash, peer);
        Assert.True(FavourProofVerifier.Verify(issued, onward, DateTimeOffset.UtcNow).IsValid);
    }

    [Fact]
    public void A_topic_with_no_hops_left_is_not_relayed()
    {
        Sys.ActorOf(TopicActor.ForBroadcast(Settings(), TimeProvider.System, _node.Ref, _settlement.Ref, _pow, Received(hopsRemaining: 0), _source));
        _node.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Conditions_above_the_accepted_difficulty_are_declined()
    {
        var broadcast = Received(hopsRemaining: 3);
        var topic = Sys.ActorOf(TopicActor.ForBroadcast(Settings() with { MaxAcceptedDifficultyBits = 12 }, TimeProvider.System, _node.Ref, _settlement.Ref, _pow, broadcast, _source));
        _node.ExpectMsg<ChoosePeers>();
        var peer = PrivateKey.Generate().PublicKey;
        var link = CreateTestProbe();
        topic.Tell(new PeersChosen([new ChosenPeer(peer, link.Ref, AskId.New())]), _node.Ref);
        var ask = (AskForFavour)link.ExpectMsg<SendFrame>().Frame;
        topic.Tell(new FrameReceived(peer, new PowFavourConditions(ask.AskId, FavourId.New(), UnixTime.Truncate(DateTimeOffset.UtcNow.AddMinutes(2)), PowSchemes.Sha256, 40)));
        link.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        _node.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_driver_takes_the_job_instead_of_relaying_and_invoices_its_price()
    {
        var broadcast = Received(hopsRemaining: 5);
        Sys.ActorOf(TopicActor.ForBroadcast(Settings(new TaxiDriverPolicy("r3gx", 42_000, "on my way")), TimeProvider.System, _node.Ref, _settlement.Ref, _pow, broadcast, _source));
        _settlement.ExpectMsg<WatchPayment>();
        var invoice = _settlement.ExpectMsg<IssueInvoice>();
        Assert.Equal(42_000UL, invoice.AmountMsat);
        // The replier's preimage goes to settlement with the invoice: journaled first, settled on acceptance.
        Assert.Equal(invoice.PaymentHash, invoice.Preimage!.Value.Sha256());
        _node.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // no ChoosePeers: a replier does not relay
    }
}
