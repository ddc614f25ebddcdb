using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Pow;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
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
    private readonly PowPool _pow;

    public TopicActorTests() : base(SweetGossip.Node.Hosting.NodeConfig.Reference.WithFallback(Akka.Configuration.ConfigurationFactory.ParseString(Support.TestKitConfig.Hocon)))
    {
        _node = CreateTestProbe();
        _settlement = CreateTestProbe();
        var queue = new PowQueue(16);
        _pow = new PowPool(Sys.ActorOf(PowWorker.Pool(1, queue)), queue);
    }

    private NodeSettings Settings(IReplyPolicy? policy = null)
    {
        var now = DateTimeOffset.UtcNow;
        var trusted = new TrustedAuthorities();
        trusted.Trust(_authority.Name, _authority.PublicKey);
        return NodeDefaults.Node with
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

    // What the source proved for each topic here: a 12-bit proof, so 4 × 2^12 hashes may be spent on its favours.
    private static readonly TopicEarnings Earned = new(4096, 0);

    // As a relay passes on a broadcast received with 5 hops and a path fee of 1,000 (relay fee 700).
    private static readonly (int Hops, ulong PathFeeMsat) Onward = (4, 1_700);

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
        var topic = Sys.ActorOf(TopicActor.ForBroadcast(Settings(), TimeProvider.System, _node.Ref, _settlement.Ref, _pow, broadcast, _source, Earned, Onward));

        var choose = _node.ExpectMsg<ChoosePeers>();
        Assert.Equal(_source, Assert.Single(choose.Exclude));
        Assert.Equal((2, broadcast.SignedRequest.Payload.PayloadId), (choose.Count, choose.PayloadId));
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
        var broadcast = Received(hopsRemaining: 0);
        Sys.ActorOf(TopicActor.ForBroadcast(Settings(), TimeProvider.System, _node.Ref, _settlement.Ref, _pow, broadcast, _source, Earned, Onward));
        // Nothing to ask: its relay phase is over at once, it settles (broadcast to no one) and asks for no peers.
        var settled = _node.ExpectMsg<TopicSettled>().Topic;
        Assert.Equal((broadcast.SignedRequest.Payload.PayloadId, _source), (settled.PayloadId, settled.Source));
        Assert.Empty(settled.BroadcastTo);
        _node.Reply(StopSettledTopic.Instance); // the guardian's go-ahead: it stops only then
        Assert.Empty(_node.ExpectMsg<TopicEnded>().Asks);
        _node.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    /// <summary>Asks a relayed topic's one chosen peer and solves its proof: the topic's relay phase is then over.</summary>
    private (IActorRef Topic, Broadcast Received, PublicKey Peer, AskId AskId) RelayedToOnePeer(NodeSettings settings)
    {
        var broadcast = Received(hopsRemaining: 5);
        var topic = Sys.ActorOf(TopicActor.ForBroadcast(settings, TimeProvider.System, _node.Ref, _settlement.Ref, _pow, broadcast, _source, Earned, Onward));
        _node.ExpectMsg<ChoosePeers>();
        var peer = PrivateKey.Generate().PublicKey;
        var link = CreateTestProbe();
        var askId = AskId.New();
        topic.Tell(new PeersChosen([new ChosenPeer(peer, link.Ref, askId)]), _node.Ref);
        link.ExpectMsg<SendFrame>();
        topic.Tell(new FrameReceived(peer, new PowFavourConditions(askId, FavourId.New(), UnixTime.Truncate(DateTimeOffset.UtcNow.AddMinutes(2)), PowSchemes.Sha256, 10)));
        Assert.IsType<Broadcast>(link.ExpectMsg<SendFrame>().Frame);
        return (topic, broadcast, peer, askId);
    }

    [Fact]
    public void A_relay_whose_favours_are_done_stops_and_leaves_its_node_a_small_record_instead_of_living_until_the_invoice_expires()
    {
        var settings = Settings() with { Fanout = 1 };
        Watch(_node.Ref);
        var (topic, broadcast, peer, _) = RelayedToOnePeer(settings);
        Watch(topic);
        _node.ExpectMsg<TopicHanded>(); // the broadcast's peer, for the node's delivery ranking
        var settled = _node.ExpectMsg<TopicSettled>().Topic;
        Assert.Equal((broadcast.SignedRequest.Payload.PayloadId, _source), (settled.PayloadId, settled.Source));
        Assert.Equal(peer, Assert.Single(settled.BroadcastTo));
        Assert.Equal(broadcast.SignedRequest.Payload.ExpiresAt + settings.ReplyInvoiceExpiry, settled.Until);
        _node.Reply(StopSettledTopic.Instance);
        ExpectTerminated(topic);
        // Its asks' routes stay with the guardian (they expire there): late conditions are dropped, not blamed on the peer.
        Assert.Empty(_node.ExpectMsg<TopicEnded>().Asks);
    }

    /// <summary>
    /// A frame the guardian routed to a topic just before it settled was lost with its mailbox: a Reply from a peer it
    /// broadcast to, already queued when its last ask ended, went to dead letters. Settled, the topic hands such frames
    /// back to its guardian (which routes them again once the topic has stopped) and stops only when told.
    /// </summary>
    [Fact]
    public void Frames_reaching_a_settled_topic_before_its_guardian_says_stop_are_handed_back_not_lost()
    {
        var settings = Settings() with { Fanout = 1 };
        var (topic, broadcast, peer, _) = RelayedToOnePeer(settings);
        Watch(topic);
        _node.ExpectMsg<TopicHanded>();
        _node.ExpectMsg<TopicSettled>();
        var reply = new FrameReceived(peer, new Reply(broadcast.SignedRequest.Payload.PayloadId, Hash32.Random(), 1_000, "lnbcrt-x", Bytes.Copy(new byte[8]), Bytes.Copy(new byte[8])));
        topic.Tell(reply);
        var handedBack = _node.ExpectMsg<FrameHandedBack>();
        Assert.Equal((broadcast.SignedRequest.Payload.PayloadId, reply), (handedBack.PayloadId, handedBack.Frame));
        _settlement.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // the settled topic opens no relay itself: the revived one will
        // A link that closes meanwhile is released at once (its connection hands back late frames until every holder has).
        var closedLink = CreateTestProbe();
        topic.Tell(new PeerLinkClosed(peer, closedLink.Ref));
        closedLink.ExpectMsg<LinkReleased>();
        topic.Tell(StopSettledTopic.Instance, _node.Ref);
        ExpectTerminated(topic);
    }

    [Fact]
    public void A_relay_with_an_ask_still_unanswered_does_not_settle()
    {
        var broadcast = Received(hopsRemaining: 5);
        var topic = Sys.ActorOf(TopicActor.ForBroadcast(Settings() with { Fanout = 1 }, TimeProvider.System, _node.Ref, _settlement.Ref, _pow, broadcast, _source, Earned, Onward));
        _node.ExpectMsg<ChoosePeers>();
        var link = CreateTestProbe();
        topic.Tell(new PeersChosen([new ChosenPeer(PrivateKey.Generate().PublicKey, link.Ref, AskId.New())]), _node.Ref);
        link.ExpectMsg<SendFrame>();
        _node.ExpectNoMsg(TimeSpan.FromMilliseconds(500)); // the ask waits for conditions (ask-timeout 10 s): no TopicSettled yet
    }

    [Fact]
    public void A_reply_for_a_settled_topic_from_a_peer_it_was_broadcast_to_is_relayed()
    {
        var settings = Settings();
        var downstream = PrivateKey.Generate().PublicKey;
        var payloadId = PayloadId.New();
        var topic = Sys.ActorOf(TopicActor.ForSettled(settings, TimeProvider.System, _node.Ref, _settlement.Ref, _pow,
            new SettledTopic(payloadId, DateTimeOffset.UtcNow.AddMinutes(40), _source, [downstream])));
        var reply = new Reply(payloadId, Hash32.Random(), 1_000, "lnbcrt-x", Bytes.Copy(new byte[8]), Bytes.Copy(new byte[8]));
        topic.Tell(new FrameReceived(downstream, reply) { PeerLightningNode = SweetGossip.Lightning.Port.LightningNodeId.FromPrivateKey(PrivateKey.Generate()) });
        Assert.Equal(reply.PaymentHash, _settlement.ExpectMsg<WatchPayment>().PaymentHash);
        _settlement.ExpectMsg<RelayPayment>(); // a relay opened for it, as a live topic would
    }

    [Fact]
    public void Unsolicited_reply_for_a_settled_topic_from_a_peer_it_was_not_broadcast_to_opens_no_relay_and_scores_its_sender()
    {
        var payloadId = PayloadId.New();
        var topic = Sys.ActorOf(TopicActor.ForSettled(Settings(), TimeProvider.System, _node.Ref, _settlement.Ref, _pow,
            new SettledTopic(payloadId, DateTimeOffset.UtcNow.AddMinutes(40), _source, [PrivateKey.Generate().PublicKey])));
        var stranger = PrivateKey.Generate().PublicKey;
        topic.Tell(new FrameReceived(stranger, new Reply(payloadId, Hash32.Random(), 1_000, "lnbcrt-x", Bytes.Copy(new byte[8]), Bytes.Copy(new byte[8]))));
        var report = _node.ExpectMsg<ReportPeer>();
        Assert.Equal((stranger, PeerBehaviour.InvalidFrame), (report.Peer, report.Behaviour));
        _settlement.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // no relay opened, no hold invoice
    }

    [Fact]
    public void Late_conditions_reaching_a_settled_topic_started_again_are_dropped_not_blamed_on_the_peer()
    {
        var payloadId = PayloadId.New();
        var peer = PrivateKey.Generate().PublicKey;
        var topic = Sys.ActorOf(TopicActor.ForSettled(Settings(), TimeProvider.System, _node.Ref, _settlement.Ref, _pow,
            new SettledTopic(payloadId, DateTimeOffset.UtcNow.AddMinutes(40), _source, [peer])));
        topic.Tell(new FrameReceived(peer, new PowFavourConditions(AskId.New(), FavourId.New(), UnixTime.Truncate(DateTimeOffset.UtcNow.AddMinutes(2)), PowSchemes.Sha256, 10)));
        _node.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // no ReportPeer, no ChoosePeers
    }

    [Fact]
    public void Conditions_above_the_accepted_difficulty_are_declined_and_another_peer_is_asked()
    {
        var broadcast = Received(hopsRemaining: 3);
        var topic = Sys.ActorOf(TopicActor.ForBroadcast(Settings() with { MaxAcceptedDifficultyBits = 12 }, TimeProvider.System, _node.Ref, _settlement.Ref, _pow, broadcast, _source, Earned, Onward));
        _node.ExpectMsg<ChoosePeers>();
        var peer = PrivateKey.Generate().PublicKey;
        var link = CreateTestProbe();
        topic.Tell(new PeersChosen([new ChosenPeer(peer, link.Ref, AskId.New())]), _node.Ref);
        var ask = (AskForFavour)link.ExpectMsg<SendFrame>().Frame;
        topic.Tell(new FrameReceived(peer, new PowFavourConditions(ask.AskId, FavourId.New(), UnixTime.Truncate(DateTimeOffset.UtcNow.AddMinutes(2)), PowSchemes.Sha256, 40)));
        var again = _node.ExpectMsg<ChoosePeers>(); // too hard: someone else, never the same peer again
        Assert.Equal(new HashSet<PublicKey> { _source, peer }, again.Exclude.ToHashSet());
        Assert.Equal(2, again.Count);
        link.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // nothing solved, nothing broadcast
    }

    [Fact]
    public void A_driver_takes_the_job_instead_of_relaying_and_invoices_its_price()
    {
        var broadcast = Received(hopsRemaining: 5);
        Sys.ActorOf(TopicActor.ForBroadcast(Settings(new TaxiDriverPolicy("r3gx", 42_000, "on my way")), TimeProvider.System, _node.Ref, _settlement.Ref, _pow, broadcast, _source, Earned, Onward));
        _settlement.ExpectMsg<WatchPayment>();
        var invoice = _settlement.ExpectMsg<IssueInvoice>();
        Assert.Equal(42_000UL, invoice.AmountMsat);
        // The replier's preimage goes to settlement with the invoice: journaled first, settled on acceptance.
        Assert.Equal(invoice.PaymentHash, invoice.Preimage!.Value.Sha256());
        _node.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // no ChoosePeers: a replier does not relay
    }

    [Fact]
    public void Unsolicited_reply_from_a_peer_the_topic_was_not_broadcast_to_opens_no_relay_and_scores_its_sender()
    {
        var broadcast = Received(hopsRemaining: 5);
        var topic = Sys.ActorOf(TopicActor.ForBroadcast(Settings(), TimeProvider.System, _node.Ref, _settlement.Ref, _pow, broadcast, _source, Earned, Onward));
        _node.ExpectMsg<ChoosePeers>();
        var stranger = PrivateKey.Generate().PublicKey;
        var reply = new Reply(broadcast.SignedRequest.Payload.PayloadId, Hash32.Random(), 1_000, "lnbcrt-x", Bytes.Copy(new byte[8]), Bytes.Copy(new byte[8]));
        topic.Tell(new FrameReceived(stranger, reply));
        var report = _node.ExpectMsg<ReportPeer>();
        Assert.Equal((stranger, PeerBehaviour.InvalidFrame), (report.Peer, report.Behaviour));
        _settlement.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // no relay opened, no hold invoice
    }

    [Fact]
    public void A_full_proof_of_work_queue_declines_the_favour_instead_of_queueing_without_limit()
    {
        var full = new PowQueue(1);
        Assert.True(full.TryEnter());
        var pool = new PowPool(_pow.Workers, full);
        var broadcast = Received(hopsRemaining: 5);
        var topic = Sys.ActorOf(TopicActor.ForBroadcast(Settings(), TimeProvider.System, _node.Ref, _settlement.Ref, pool, broadcast, _source, Earned, Onward));
        _node.ExpectMsg<ChoosePeers>();
        var peer = PrivateKey.Generate().PublicKey;
        var link = CreateTestProbe();
        topic.Tell(new PeersChosen([new ChosenPeer(peer, link.Ref, AskId.New())]), _node.Ref);
        var ask = (AskForFavour)link.ExpectMsg<SendFrame>().Frame;
        topic.Tell(new FrameReceived(peer, new PowFavourConditions(ask.AskId, FavourId.New(), UnixTime.Truncate(DateTimeOffset.UtcNow.AddMinutes(2)), PowSchemes.Sha256, 10)));
        link.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, full.Count);
    }

    [Fact]
    public void Proof_of_work_jobs_of_an_ended_topic_or_an_expired_favour_are_abandoned()
    {
        var queue = new PowQueue(4);
        var pool = Sys.ActorOf(PowWorker.Pool(1, queue));
        using var ended = new CancellationTokenSource();
        ended.Cancel();
        Assert.True(queue.TryEnter());
        pool.Tell(new SolvePow(new byte[32], 60, "ended") { Cancel = ended.Token }, TestActor);
        Assert.Equal("ended", ExpectMsg<PowAbandoned>().Correlation);
        Assert.True(queue.TryEnter());
        pool.Tell(new SolvePow(new byte[32], 60, "expired") { Until = DateTimeOffset.UtcNow.AddMinutes(-1) }, TestActor);
        Assert.Equal("expired", ExpectMsg<PowAbandoned>().Correlation);
        AwaitCondition(() => queue.Count == 0); // every job frees its place however it ends
    }

    [Fact]
    public void Proof_of_work_of_a_topic_that_stops_is_cancelled_midway()
    {
        var queue = new PowQueue(4);
        var pool = Sys.ActorOf(PowWorker.Pool(1, queue));
        using var topic = new CancellationTokenSource();
        Assert.True(queue.TryEnter());
        pool.Tell(new SolvePow(new byte[32], 60, "hard") { Cancel = topic.Token }, TestActor); // 2^60 hashes: never done on its own
        topic.Cancel();
        Assert.Equal("hard", ExpectMsg<PowAbandoned>(TimeSpan.FromSeconds(30)).Correlation);
        AwaitCondition(() => queue.Count == 0);
    }
}
