using SweetGossip.Lightning.Port;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Validation;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Tests.Actors;

/// <summary>The node guardian's own rules, with probes for the peer, settlement and transport.</summary>
public class NodeActorTests : TestKit
{
    private readonly CertificateAuthority _authority = new("Test Council", PrivateKey.Generate());
    private readonly TrustedAuthorities _trusted = new();
    private readonly PrivateKey _nodeKey = PrivateKey.Generate();
    private readonly PrivateKey _riderKey = PrivateKey.Generate();
    private readonly PublicKey _peer = PrivateKey.Generate().PublicKey;
    private readonly TestProbe _connection;
    private readonly IActorRef _node;

    private static readonly string DataRoot = Path.Combine(Path.GetTempPath(), "sweetgossip-tests", "node-actor-" + Guid.NewGuid().ToString("N"));
    private readonly NodeSettings _settings;
    private readonly TestProbe _transport;

    public NodeActorTests() : base(SweetGossip.Node.Hosting.NodeConfig.Build(Support.TestKitConfig.Hocon, Path.Combine(DataRoot, Guid.NewGuid().ToString("N"))))
    {
        _trusted.Trust(_authority.Name, _authority.PublicKey);
        var now = DateTimeOffset.UtcNow;
        _settings = NodeDefaults.Node with
        {
            Identity = _nodeKey,
            CertificateKey = _nodeKey,
            Certificate = _authority.Issue(_nodeKey.PublicKey, "relay", [], now.AddDays(-1), now.AddDays(1)),
            Trusted = _trusted,
            ContactAddress = "node",
            BaseDifficultyBits = 8,
            Fanout = 0, // no onward gossip: these tests look at one node's answers only
            PowWorkers = 1,
            // Delivery ranking on (it only acts when topics are handed, which Fanout 0 never does by itself).
            PeerChoice = new SweetGossip.Node.Routing.PeerChoiceSettings(0, 2, 0),
        };
        _transport = CreateTestProbe();
        _connection = CreateTestProbe();
        _node = StartNode();
    }

    private IActorRef StartNode()
    {
        var node = Sys.ActorOf(NodeActor.Props(_settings, TimeProvider.System, CreateTestProbe().Ref, _transport.Ref, LightningNodeId.FromPrivateKey(PrivateKey.Generate())));
        _transport.ExpectMsg<AttachNode>();
        node.Tell(new PeerConnected(_peer, _connection.Ref));
        // First on every link: where this node is paid.
        _connection.ExpectMsg<SendFrame>(f => f.Frame is LightningNodeAnnouncement);
        return node;
    }

    /// <summary>
    /// A hub listed at several member addresses: when the kept link ends, the peer redials them all at once, and the two
    /// new links announce themselves in either order. If the one announced second is the one the transport closes as a
    /// duplicate, its end must not take the peer down: the link announced first is still up.
    /// </summary>
    [Fact]
    public async Task A_duplicate_link_announced_after_the_kept_one_does_not_take_the_peer_down_when_it_closes()
    {
        var duplicate = CreateTestProbe();
        _node.Tell(new PeerConnected(_peer, duplicate.Ref));
        _node.Tell(new PeerDisconnected(_peer, "duplicate link to the same peer"), duplicate.Ref);
        Assert.Equal(1, (await _node.Ask<NodeStatus>(GetNodeStatus.Instance)).Peers);

        // And once the kept link ends too, the peer is down.
        _node.Tell(new PeerDisconnected(_peer, "closed"), _connection.Ref);
        Assert.Equal(0, (await _node.Ask<NodeStatus>(GetNodeStatus.Instance)).Peers);
    }

    /// <summary>
    /// The node's own topic asks the peer on its link; the peer's link closes and the peer redials this node; its conditions
    /// (read off the old link before it closed) reach the topic after the redial. The topic held the old link to send its
    /// broadcast straight there: it must go on the new link. Before, it went to the closed link (in a real node a dead
    /// letter): the favour was asked of the peer and the payload never reached it.
    /// </summary>
    [Fact]
    public void A_peer_that_redials_between_its_conditions_and_the_broadcast_gets_the_broadcast_on_its_new_link()
    {
        var node = Sys.ActorOf(NodeActor.Props(_settings with { Fanout = 1 }, TimeProvider.System, CreateTestProbe().Ref, _transport.Ref,
            LightningNodeId.FromPrivateKey(PrivateKey.Generate())));
        _transport.ExpectMsg<AttachNode>();
        var (peer, oldLink, newLink) = (PrivateKey.Generate().PublicKey, CreateTestProbe(), CreateTestProbe());
        node.Tell(new PeerConnected(peer, oldLink.Ref));
        oldLink.ExpectMsg<SendFrame>(f => f.Frame is LightningNodeAnnouncement);

        var now = DateTimeOffset.UtcNow;
        node.Tell(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)));
        var ask = (AskForFavour)oldLink.FishForMessage<SendFrame>(f => f.Frame is AskForFavour, TimeSpan.FromSeconds(30)).Frame;

        node.Tell(new PeerDisconnected(peer, "link closed"), oldLink.Ref);
        node.Tell(new PeerConnected(peer, newLink.Ref));
        newLink.ExpectMsg<SendFrame>(f => f.Frame is LightningNodeAnnouncement);
        var conditions = new PowFavourConditions(ask.AskId, new FavourId(Guid.NewGuid()), UnixTime.Truncate(now.AddMinutes(2)), PowSchemes.Sha256, 1);
        node.Tell(new FrameReceived(peer, conditions), oldLink.Ref);

        var broadcast = (Broadcast)newLink.FishForMessage<SendFrame>(f => f.Frame is Broadcast, TimeSpan.FromSeconds(30)).Frame;
        Assert.Equal(conditions.FavourId, broadcast.FavourId);
    }

    /// <summary>
    /// Found under load in the hub process test: a Reply from a peer a relay broadcast to, routed to the topic just as its
    /// last ask ended, was lost (the topic stopped with the Reply in its mailbox, or the guardian found the stopping actor by
    /// name and skipped the revive path). Here the ending frame (conditions too hard, with the ask budget spent) and the Reply
    /// reach the topic back to back, so the Reply is in its mailbox when it settles. It must still be relayed: a relay
    /// opens for it (the settlement is asked to watch its payment).
    /// </summary>
    [Fact]
    public void A_reply_that_reaches_a_topic_as_it_settles_is_relayed_not_lost()
    {
        var settlement = CreateTestProbe();
        var node = Sys.ActorOf(NodeActor.Props(_settings with { Fanout = 2, MaxAsksPerTopic = 2, MaxAcceptedDifficultyBits = 12 }, TimeProvider.System,
            settlement.Ref, _transport.Ref, LightningNodeId.FromPrivateKey(PrivateKey.Generate())));
        _transport.ExpectMsg<AttachNode>();
        var source = CreateTestProbe();
        node.Tell(new PeerConnected(_peer, source.Ref));
        var downstream = new Dictionary<PublicKey, TestProbe>();
        for (var i = 0; i < 2; i++)
        {
            var (peer, link) = (PrivateKey.Generate().PublicKey, CreateTestProbe());
            node.Tell(new PeerConnected(peer, link.Ref));
            link.ExpectMsg<SendFrame>(f => f.Frame is LightningNodeAnnouncement);
            node.Tell(new FrameReceived(peer, new LightningNodeAnnouncement(Bytes.Copy(LightningNodeId.FromPrivateKey(PrivateKey.Generate()).ToBytes()))));
            downstream[peer] = link;
        }
        var request = Request();
        node.Tell(new FrameReceived(_peer, new AskForFavour(AskId.New(), request)));
        var conditions = (PowFavourConditions)source.FishForMessage<SendFrame>(f => f.Frame is PowFavourConditions).Frame;
        node.Tell(new FrameReceived(_peer, Solve(conditions, request)));

        var asks = downstream.ToDictionary(d => d.Key, d => (AskForFavour)d.Value.FishForMessage<SendFrame>(f => f.Frame is AskForFavour, TimeSpan.FromSeconds(30)).Frame);
        var (granting, declining) = (downstream.Keys.First(), downstream.Keys.Last());
        node.Tell(new FrameReceived(granting, new PowFavourConditions(asks[granting].AskId, FavourId.New(), UnixTime.Truncate(DateTimeOffset.UtcNow.AddMinutes(2)), PowSchemes.Sha256, 1)));
        downstream[granting].FishForMessage<SendFrame>(f => f.Frame is Broadcast, TimeSpan.FromSeconds(30));

        var reply = new Reply(request.Payload.PayloadId, Hash32.Random(), 1_000, "lnbcrt10n1fake", Bytes.Copy(new byte[64]), Bytes.Copy(new byte[64]));
        node.Tell(new FrameReceived(declining, new PowFavourConditions(asks[declining].AskId, FavourId.New(), UnixTime.Truncate(DateTimeOffset.UtcNow.AddMinutes(2)), PowSchemes.Sha256, 40)));
        // The peer whose answer ends the topic follows it with frames anyone can make up (security review): they must not
        // crowd out the reply, whatever their number.
        for (var i = 0; i < 3 * (_settings.MaxAsksPerTopic + _settings.MaxRepliesPerTopic); i++)
            node.Tell(new FrameReceived(declining, new Validate(request.Payload.PayloadId, Hash32.Random(), Hash32.Random())));
        node.Tell(new FrameReceived(granting, reply));

        settlement.FishForMessage<SweetGossip.Node.Settlement.WatchPayment>(w => w.PaymentHash == reply.PaymentHash, TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// The race <see cref="A_peer_that_redials_between_its_conditions_and_the_broadcast_gets_the_broadcast_on_its_new_link"/> leaves: the peer's conditions reach the topic before the node's "link closed" notice, so the
    /// topic's broadcast (a proof solved at once) is sent towards the closed link. Forced in this order: the old connection
    /// reads the conditions and then hears its link closed, so the node routes the conditions to the topic before it tells
    /// the topic the link closed, and the topic's broadcast reaches the connection after its session ended. The closed
    /// connection hands it back; the node holds it until the peer's new link comes up (over TCP that is once the old
    /// connection stopped) and sends it there, once. Before, the closed connection stopped at once and the broadcast was a
    /// dead letter: the peer granted the favour and never got the payload. With a proof hard enough for the PoW workers
    /// (14 bits) the link closes while the proof runs: the order is not forced then, and either order must deliver once.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(14)]
    public void A_broadcast_sent_towards_a_link_that_just_closed_reaches_the_peer_on_its_new_link_exactly_once(int difficultyBits)
    {
        var node = Sys.ActorOf(NodeActor.Props(_settings with { Fanout = 1 }, TimeProvider.System, CreateTestProbe().Ref, _transport.Ref,
            LightningNodeId.FromPrivateKey(PrivateKey.Generate())));
        var drainTimeout = _transport.ExpectMsg<AttachNode>().LinkDrainTimeout;
        Assert.NotNull(drainTimeout);
        var peer = PrivateKey.Generate().PublicKey;
        var (oldLink, newLink) = (CreateTestProbe(), CreateTestProbe());
        // Real connections (their sessions, the drain), as the transport makes them; the links are probes.
        IActorRef Connect(TestProbe link) => Sys.ActorOf(PeerConnection.Props(peer, link.Ref, node, TimeProvider.System, new PeerScoreBook(NodeDefaults.Scoring),
            NodeDefaults.PeerFramesPerSecond, NodeDefaults.PeerBurst, drainTimeout: TimeSpan.FromMinutes(5)));
        Frame Sent(TestProbe link) => FrameCodec.Decode(link.ExpectMsg<LinkFrameOut>(TimeSpan.FromSeconds(30)).Bytes);
        var oldConnection = Connect(oldLink);
        Assert.IsType<LightningNodeAnnouncement>(Sent(oldLink));

        var now = DateTimeOffset.UtcNow;
        node.Tell(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)), CreateTestProbe().Ref);
        var ask = Assert.IsType<AskForFavour>(Sent(oldLink));
        var conditions = new PowFavourConditions(ask.AskId, new FavourId(Guid.NewGuid()), UnixTime.Truncate(now.AddMinutes(2)), PowSchemes.Sha256, difficultyBits);
        Watch(oldConnection);
        oldConnection.Tell(new LinkFrameIn(FrameCodec.Encode(conditions)));
        oldConnection.Tell(new LinkClosed("closed by the peer"));
        // It stops once the topic released it (the TCP transport starts the peer's new connection only then).
        ExpectTerminated(oldConnection, TimeSpan.FromSeconds(30));

        Connect(newLink);
        Assert.IsType<LightningNodeAnnouncement>(Sent(newLink));
        var broadcast = Assert.IsType<Broadcast>(Sent(newLink));
        Assert.Equal(conditions.FavourId, broadcast.FavourId);
        // Exactly once: a frame sent after it comes next, no second copy before it.
        var marker = new ThankYou(PayloadId.New(), Hash32.Random());
        node.Tell(new SendToPeer(peer, marker));
        Assert.Equal(marker, Sent(newLink));
        // Nor on the old link: its connection, the only one to send there, stopped before (whatever it sent is queued already).
        Assert.False(oldLink.HasMessages);
    }

    [Fact]
    public async Task Dedup_by_payload_id_survives_a_restart()
    {
        var request = Request();
        _node.Tell(new FrameReceived(_peer, Solve(Ask(request), request)));
        Assert.Equal(PeerBehaviour.FirstDelivery, Report().Behaviour);
        // The journal child has taken the entry (and sent its write) once it answers a message sent after it.
        await Sys.ActorSelection(_node.Path / "seen").Ask<ActorIdentity>(new Identify(1), TimeSpan.FromSeconds(10));
        Watch(_node);
        Sys.Stop(_node);
        ExpectTerminated(_node);

        var restarted = StartNode();
        restarted.Tell(new FrameReceived(_peer, new AskForFavour(AskId.New(), request)));
        // The status answer comes after the ask was handled (one mailbox): by then no favour was granted.
        Assert.Equal(1, (await restarted.Ask<NodeStatus>(GetNodeStatus.Instance)).PayloadsSeen);
        Assert.False(_connection.HasMessages, "a restarted node granted a favour for a payload it had already carried");
    }

    private SignedRequestPayload Request()
    {
        var now = UnixTime.Truncate(DateTimeOffset.UtcNow);
        var certificate = _authority.Issue(_riderKey.PublicKey, "rider", [], now.AddDays(-1), now.AddDays(1));
        return SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(), TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now),
            certificate, PrivateKey.Generate().PublicKey, now, now.AddMinutes(20)), _riderKey);
    }

    private PowFavourConditions Ask(SignedRequestPayload request)
    {
        _node.Tell(new FrameReceived(_peer, new AskForFavour(AskId.New(), request)));
        return (PowFavourConditions)_connection.ExpectMsg<SendFrame>().Frame;
    }

    private Broadcast Solve(PowFavourConditions conditions, SignedRequestPayload request)
    {
        var challenge = FavourChallenge.For(conditions, request.PayloadHash, _nodeKey.PublicKey);
        var nonce = PowSolver.Solve(challenge.ComputeChallengeHash(), conditions.DifficultyBits, 0, ulong.MaxValue, CancellationToken.None).Nonce;
        return new Broadcast(conditions.FavourId, request, new PowProof(nonce), 3, 0);
    }

    private ReportBehaviour Report() => _connection.ExpectMsg<ReportBehaviour>();

    [Fact]
    public void An_ask_is_answered_with_proof_of_work_conditions_bound_to_this_node()
    {
        var conditions = Ask(Request());
        Assert.Equal(PowSchemes.Sha256, conditions.Scheme);
        Assert.Equal(8, conditions.DifficultyBits);
    }

    [Fact]
    public async Task A_broadcast_with_the_right_proof_is_accepted_once_and_a_replay_is_refused()
    {
        var request = Request();
        var broadcast = Solve(Ask(request), request);

        _node.Tell(new FrameReceived(_peer, broadcast));
        Assert.Equal(PeerBehaviour.FirstDelivery, Report().Behaviour);

        _node.Tell(new FrameReceived(_peer, broadcast));
        var replay = Report();
        Assert.Equal(PeerBehaviour.WrongProof, replay.Behaviour);
        Assert.Contains("already used", replay.Detail);

        // The topic is now known: no favour for it again.
        _node.Tell(new FrameReceived(_peer, new AskForFavour(AskId.New(), request)));
        Assert.Equal(PeerBehaviour.Duplicate, Report().Behaviour);
        Assert.Equal(1, (await _node.Ask<NodeStatus>(GetNodeStatus.Instance)).PayloadsSeen);
    }

    [Fact]
    public async Task A_wrong_nonce_is_reported_and_the_topic_is_not_taken()
    {
        var request = Request();
        var conditions = Ask(request);
        var challenge = FavourChallenge.For(conditions, request.PayloadHash, _nodeKey.PublicKey).ComputeChallengeHash();
        var wrongNonce = Enumerable.Range(0, 1000).Select(i => (ulong)i).First(n => !PowVerifier.Satisfies(challenge, n, conditions.DifficultyBits));

        _node.Tell(new FrameReceived(_peer, new Broadcast(conditions.FavourId, request, new PowProof(wrongNonce), 3, 0)));
        var report = Report();
        Assert.Equal(PeerBehaviour.WrongProof, report.Behaviour);
        Assert.Contains("leading zero bits", report.Detail);
        Assert.Equal(0, (await _node.Ask<NodeStatus>(GetNodeStatus.Instance)).PayloadsSeen);
    }

    [Fact]
    public void A_forged_request_is_reported_as_invalid_and_gets_no_favour()
    {
        var request = Request();
        var bytes = SweetGossip.Protocol.Wire.FrameCodec.Encode(new AskForFavour(AskId.New(), request));
        bytes[bytes.AsSpan().IndexOf(request.OriginatorSignature.Span) + 5] ^= 1;

        _node.Tell(new FrameReceived(_peer, SweetGossip.Protocol.Wire.FrameCodec.Decode(bytes)));
        var report = Report();
        Assert.Equal(PeerBehaviour.InvalidFrame, report.Behaviour);
        Assert.Contains("signature", report.Detail);
        _connection.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    /// <summary>
    /// A Sybil takes topics and drops them, and asks this node again for requests it has seen (free: they were handed to
    /// it) to look like a relay. Only a first delivery (a new, valid topic accepted from the peer, GossipSub's P2) clears a
    /// delivery deficit; a replayed ask does not.
    /// </summary>
    [Fact]
    public void A_sybil_replaying_asks_for_seen_requests_stays_in_delivery_deficit()
    {
        var node = RankingNode(out var sybil, out var sybilLink, out var relay, out var relayLink);
        // The relay delivers a topic first; the Sybil then asks for it again (a replay: costs nothing, carries nothing).
        var request = Request();
        var conditions = AskFrom(node, relay, relayLink, request);
        node.Tell(new FrameReceived(relay, Solve(conditions, request)));
        Assert.Equal(PeerBehaviour.FirstDelivery, relayLink.ExpectMsg<ReportBehaviour>().Behaviour);

        node.Tell(new TopicHanded(sybil));
        node.Tell(new FrameReceived(sybil, new AskForFavour(AskId.New(), request)));
        node.Tell(new TopicHanded(sybil));
        var report = sybilLink.ExpectMsg<ReportBehaviour>(TimeSpan.FromSeconds(30));
        Assert.Equal(PeerBehaviour.DeliveryDeficit, report.Behaviour);
    }

    /// <summary>The converse: a topic delivered first clears the deficit, so an honest relay is not scored down.</summary>
    [Fact]
    public async Task A_first_delivery_clears_a_delivery_deficit()
    {
        var node = RankingNode(out _, out _, out var relay, out var relayLink);
        node.Tell(new TopicHanded(relay));
        var request = Request();
        node.Tell(new FrameReceived(relay, Solve(AskFrom(node, relay, relayLink, request), request)));
        Assert.Equal(PeerBehaviour.FirstDelivery, relayLink.ExpectMsg<ReportBehaviour>().Behaviour);
        node.Tell(new TopicHanded(relay));
        await node.Ask<NodeStatus>(GetNodeStatus.Instance, TimeSpan.FromSeconds(30));
        Assert.False(relayLink.HasMessages, "a relay that had just delivered a new topic was scored down for a deficit");
    }

    /// <summary>
    /// A peer that asked this node for a favour for a payload holds it: when the payload arrives from another peer, the
    /// node's asks skip it (an ask to it would go unanswered until ask-timeout and take a place of the fanout meanwhile).
    /// </summary>
    [Fact]
    public void A_peer_that_offered_a_payload_is_not_asked_for_it()
    {
        var transport = CreateTestProbe();
        var node = Sys.ActorOf(NodeActor.Props(_settings with { Fanout = 3 }, TimeProvider.System, CreateTestProbe().Ref, transport.Ref, LightningNodeId.FromPrivateKey(PrivateKey.Generate())));
        transport.ExpectMsg<AttachNode>();
        TestProbe Link(PublicKey peer)
        {
            var link = CreateTestProbe();
            node.Tell(new PeerConnected(peer, link.Ref));
            link.ExpectMsg<SendFrame>(f => f.Frame is LightningNodeAnnouncement);
            return link;
        }
        var (holder, source, fresh) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        var (holderLink, sourceLink, freshLink) = (Link(holder), Link(source), Link(fresh));
        var request = Request();
        AskFrom(node, holder, holderLink, request);
        node.Tell(new FrameReceived(source, Solve(AskFrom(node, source, sourceLink, request), request)));

        freshLink.ExpectMsg<SendFrame>(f => f.Frame is AskForFavour, TimeSpan.FromSeconds(30));
        // The asks of one choice are sent together: any ask to the holder is queued by now.
        while (holderLink.HasMessages)
            Assert.False(holderLink.ReceiveOne(TimeSpan.Zero) is SendFrame { Frame: AskForFavour }, "the node asked a peer that had offered it the payload");
    }

    /// <summary>The node (ranking by delivery, deficit after 2 topics handed) with a Sybil (the first peer) and a relay linked.</summary>
    private IActorRef RankingNode(out PublicKey sybil, out TestProbe sybilLink, out PublicKey relay, out TestProbe relayLink)
    {
        (sybil, sybilLink) = (_peer, _connection);
        (relay, relayLink) = (PrivateKey.Generate().PublicKey, CreateTestProbe());
        _node.Tell(new PeerConnected(relay, relayLink.Ref));
        relayLink.ExpectMsg<SendFrame>(f => f.Frame is LightningNodeAnnouncement);
        return _node;
    }

    private static PowFavourConditions AskFrom(IActorRef node, PublicKey peer, TestProbe link, SignedRequestPayload request)
    {
        node.Tell(new FrameReceived(peer, new AskForFavour(AskId.New(), request)));
        return (PowFavourConditions)link.ExpectMsg<SendFrame>().Frame;
    }

    [Fact]
    public void A_favour_cannot_be_redeemed_by_another_peer()
    {
        var request = Request();
        var broadcast = Solve(Ask(request), request);
        var other = CreateTestProbe();
        var otherPeer = PrivateKey.Generate().PublicKey;
        _node.Tell(new PeerConnected(otherPeer, other.Ref));
        other.ExpectMsg<SendFrame>(f => f.Frame is LightningNodeAnnouncement);
        _node.Tell(new FrameReceived(otherPeer, broadcast));
        var report = other.ExpectMsg<ReportBehaviour>();
        Assert.Equal(PeerBehaviour.WrongProof, report.Behaviour);
        Assert.Contains("another peer", report.Detail);
    }

    /// <summary>
    /// L9: a relayed topic that settled leaves a small record (D25). A Reply from a peer the topic never broadcast to, or a
    /// ThankYou (a settled topic took no reply), is judged at the guardian and leaves the record: it does not start the
    /// topic's actor again. Before, any made-up Reply or ThankYou for a settled payload id turned its record back into a
    /// live actor. A Reply from a peer it did broadcast to still starts it again (D25, D22: replies come back the way the
    /// topic went).
    /// </summary>
    [Fact]
    public async Task A_reply_from_a_peer_the_topic_never_broadcast_to_does_not_revive_a_settled_topic()
    {
        var payloadId = PayloadId.New();
        var downstream = PrivateKey.Generate().PublicKey;
        _node.Tell(new SweetGossip.Node.Topics.TopicSettled(new SweetGossip.Node.Topics.SettledTopic(payloadId, DateTimeOffset.UtcNow.AddMinutes(40),
            PrivateKey.Generate().PublicKey, [downstream])));
        Reply MadeUp() => new(payloadId, Hash32.Random(), 1000, "lnbcrt10n1fake", Bytes.Copy(new byte[64]), Bytes.Copy(new byte[64]));

        _node.Tell(new FrameReceived(_peer, MadeUp()));
        Assert.Equal(PeerBehaviour.InvalidFrame, Report().Behaviour);
        _node.Tell(new FrameReceived(_peer, new ThankYou(payloadId, Hash32.Random())));
        Assert.Equal(PeerBehaviour.InvalidFrame, Report().Behaviour);
        Assert.Equal(1, (await _node.Ask<NodeStatus>(GetNodeStatus.Instance)).Maps["settled-topics"]);

        // The peer it broadcast to: its reply starts the topic again from the record.
        var link = CreateTestProbe();
        _node.Tell(new PeerConnected(downstream, link.Ref));
        _node.Tell(new FrameReceived(downstream, MadeUp()));
        Assert.Equal(0, (await _node.Ask<NodeStatus>(GetNodeStatus.Instance)).Maps["settled-topics"]);
    }

    [Fact]
    public void Announcing_conditions_for_a_topic_that_ended_here_are_declined_so_the_peer_asks_another_announcer()
    {
        // An honest announcer whose topic ended before its announcement was granted (the grantor waited deliver-timeout
        // for an earlier announcer) used to drop the conditions silently, and be judged for an undelivered favour.
        var transport = CreateTestProbe();
        var connection = CreateTestProbe();
        var node = Sys.ActorOf(NodeActor.Props(_settings with { Dissemination = Dissemination.Announce }, TimeProvider.System, CreateTestProbe().Ref, transport.Ref,
            LightningNodeId.FromPrivateKey(PrivateKey.Generate())));
        transport.ExpectMsg<AttachNode>();
        node.Tell(new PeerConnected(_peer, connection.Ref));
        connection.ExpectMsg<SendFrame>(f => f.Frame is LightningNodeAnnouncement);

        // The topic's announcement went out (its ask registered), then the topic ended: no actor takes the answer.
        var payloadId = PayloadId.New();
        node.Tell(new ChoosePeers([], 1, payloadId), TestActor);
        var ask = Assert.Single(ExpectMsg<PeersChosen>().Peers).AskId;
        node.Tell(new FrameReceived(_peer, new PowFavourConditions(ask, FavourId.New(), DateTimeOffset.UtcNow.AddMinutes(2), PowSchemes.Sha256, 8)));

        var declined = connection.ExpectMsg<SendFrame>(f => f.Frame is FavourDeclined, TimeSpan.FromSeconds(30));
        Assert.Equal(payloadId, ((FavourDeclined)declined.Frame).PayloadId);
    }
}
