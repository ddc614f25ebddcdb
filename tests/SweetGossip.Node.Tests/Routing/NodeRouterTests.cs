using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Routing;
using SweetGossip.Node.Topics;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Node.Tests.Routing;

/// <summary>The node's order of protocol steps without actors: frames in, effects out.</summary>
public class NodeRouterTests
{
    private static readonly DateTimeOffset Now = UnixTime.Truncate(DateTimeOffset.UtcNow);
    private readonly CertificateAuthority _authority = new("Test Council", PrivateKey.Generate());
    private readonly TrustedAuthorities _trusted = new();
    private readonly PrivateKey _nodeKey = PrivateKey.Generate();
    private readonly PrivateKey _riderKey = PrivateKey.Generate();
    private readonly PublicKey _peer = PrivateKey.Generate().PublicKey;
    private readonly LightningNodeId _ownNode = LightningNodeId.FromPrivateKey(PrivateKey.Generate());
    private readonly FrameScreen _screen;

    public NodeRouterTests()
    {
        _trusted.Trust(_authority.Name, _authority.PublicKey);
        _screen = new FrameScreen(_trusted);
    }

    private NodeRouter Router(Func<NodeSettings, NodeSettings>? tweak = null, bool hubMember = false)
    {
        var settings = NodeDefaults.Node with
        {
            Identity = _nodeKey, CertificateKey = _nodeKey, Trusted = _trusted, ContactAddress = "node", BaseDifficultyBits = 4,
            Certificate = _authority.Issue(_nodeKey.PublicKey, "relay", [], Now.AddDays(-1), Now.AddDays(1)),
        };
        var router = new NodeRouter(tweak is null ? settings : tweak(settings), _screen, _ownNode)
        {
            HubMember = hubMember,
            UnplacedBudget = hubMember ? new UnplacedOfferBudget(PerSecond: 2, Burst: 3) : null,
        };
        router.PeerUp(_peer);
        return router;
    }

    private SignedRequestPayload Request() => SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(), TaxiTopic.Create(-33.8647, 151.2096, 7, Now, Now.AddMinutes(30), Now),
        _authority.Issue(_riderKey.PublicKey, "rider", [], Now.AddDays(-1), Now.AddDays(1)), PrivateKey.Generate().PublicKey, Now, Now.AddMinutes(20)), _riderKey);

    private static FrameReceived From(PublicKey peer, Frame frame, bool verified = false) => new(peer, frame) { Verified = verified };

    private Broadcast Redeem(PowFavourConditions conditions, SignedRequestPayload request, ulong pathFee = 0)
    {
        var challenge = FavourChallenge.For(conditions, request.PayloadHash, _nodeKey.PublicKey);
        var nonce = PowSolver.Solve(challenge.ComputeChallengeHash(), conditions.DifficultyBits, 0, ulong.MaxValue, CancellationToken.None).Nonce;
        return new Broadcast(conditions.FavourId, request, new PowProof(nonce), 3, pathFee);
    }

    [Fact]
    public void A_new_link_is_told_first_where_this_node_is_paid_and_a_link_to_itself_is_judged()
    {
        var router = Router();
        var other = PrivateKey.Generate().PublicKey;
        var announce = Assert.IsType<SendTo>(Assert.Single(router.PeerUp(other)));
        Assert.Equal(_ownNode.ToBytes(), ((LightningNodeAnnouncement)announce.Frame).NodeId.ToArray());
        Assert.Equal(PeerBehaviour.InvalidFrame, Assert.IsType<Judge>(Assert.Single(router.PeerUp(_nodeKey.PublicKey))).Behaviour);
    }

    [Fact]
    public void A_screened_ask_is_answered_with_conditions_and_its_broadcast_accepted_once()
    {
        var router = Router();
        var request = Request();
        var conditions = (PowFavourConditions)Assert.IsType<SendTo>(Assert.Single(router.OnFrame(From(_peer, new AskForFavour(AskId.New(), request), verified: true), Now))).Frame;
        var broadcast = Redeem(conditions, request);

        var accepted = router.OnFrame(From(_peer, broadcast), Now);
        Assert.Equal(PeerBehaviour.FirstDelivery, Assert.IsType<Judge>(accepted[0]).Behaviour);
        var accept = Assert.IsType<AcceptTopic>(accepted[1]);
        Assert.Equal((broadcast, _peer, new TopicEarnings(PowVerifier.ExpectedHashes(conditions.DifficultyBits), 0)), (accept.Broadcast, accept.Source, accept.Earned));
        Assert.Equal(PeerBehaviour.WrongProof, Assert.IsType<Judge>(Assert.Single(router.OnFrame(From(_peer, broadcast), Now))).Behaviour);
        Assert.True(_screen.Seen.Contains(request.Payload.PayloadId)); // what the connections now drop undecoded
    }

    [Fact]
    public void An_unscreened_ask_is_validated_here_and_a_forged_one_judged()
    {
        var router = Router();
        var forged = WithSignatureOf(Request(), Request());
        var judged = Assert.IsType<Judge>(Assert.Single(router.OnFrame(From(_peer, new AskForFavour(AskId.New(), forged)), Now)));
        Assert.Equal(PeerBehaviour.InvalidFrame, judged.Behaviour);
        Assert.Contains("signature", judged.Detail);
    }

    /// <summary>One request's payload bytes with another's signature: what a forger can put on the wire.</summary>
    private static SignedRequestPayload WithSignatureOf(SignedRequestPayload payloadOf, SignedRequestPayload signatureOf)
    {
        var bytes = SweetGossip.Protocol.Wire.FrameCodec.Encode(new AskForFavour(AskId.New(), payloadOf));
        signatureOf.OriginatorSignature.Span.CopyTo(bytes.AsSpan(bytes.AsSpan().IndexOf(payloadOf.OriginatorSignature.Span)));
        return ((AskForFavour)SweetGossip.Protocol.Wire.FrameCodec.Decode(bytes)).SignedRequest;
    }

    [Fact]
    public void A_seen_payload_asked_for_again_gets_no_favour_and_the_same_peer_asking_again_is_a_duplicate()
    {
        var router = Router();
        var request = Request();
        var conditions = (PowFavourConditions)((SendTo)router.OnFrame(From(_peer, new AskForFavour(AskId.New(), request), verified: true), Now)[0]).Frame;
        router.OnFrame(From(_peer, Redeem(conditions, request)), Now);
        var other = PrivateKey.Generate().PublicKey;
        router.PeerUp(other);

        Assert.Empty(router.OnFrame(From(other, new AskForFavour(AskId.New(), request), verified: true), Now)); // gossip by a second path
        Assert.Equal(PeerBehaviour.Duplicate, Assert.IsType<Judge>(Assert.Single(router.OnFrame(From(_peer, new AskForFavour(AskId.New(), request), verified: true), Now))).Behaviour);
    }

    [Fact]
    public void Conditions_go_to_the_topic_that_asked_once_with_the_payee_the_peer_announced()
    {
        var router = Router();
        var payee = LightningNodeId.FromPrivateKey(PrivateKey.Generate());
        Assert.Empty(router.OnFrame(From(_peer, new LightningNodeAnnouncement(Bytes.Copy(payee.ToBytes()))), Now));
        var ask = AskId.New();
        var payload = PayloadId.New();
        router.RegisterAsk(ask, payload, Now);
        var conditions = new LightningFavourConditions(ask, FavourId.New(), Now.AddMinutes(2), 5, "lnbcrt-x");

        var route = Assert.IsType<ToTopic>(Assert.Single(router.OnFrame(From(_peer, conditions), Now)));
        Assert.Equal(payload, route.PayloadId);
        Assert.Equal(payee, route.Frame.PeerLightningNode);
        Assert.Equal(PeerBehaviour.InvalidFrame, Assert.IsType<Judge>(Assert.Single(router.OnFrame(From(_peer, conditions), Now))).Behaviour); // one answer per ask

        var another = LightningNodeId.FromPrivateKey(PrivateKey.Generate());
        Assert.Equal(PeerBehaviour.InvalidFrame, Assert.IsType<Judge>(Assert.Single(router.OnFrame(From(_peer, new LightningNodeAnnouncement(Bytes.Copy(another.ToBytes()))), Now))).Behaviour);
    }

    [Fact]
    public void An_unanswered_ask_is_forgotten_after_a_favours_validity()
    {
        var router = Router();
        var ask = AskId.New();
        router.RegisterAsk(ask, PayloadId.New(), Now);
        var late = new PowFavourConditions(ask, FavourId.New(), Now.AddMinutes(5), PowSchemes.Sha256, 4);
        Assert.IsType<Judge>(Assert.Single(router.OnFrame(From(_peer, late), Now.AddMinutes(3))));
    }

    [Fact]
    public void A_lightning_priced_favour_is_invoiced_by_settlement_then_granted()
    {
        var router = Router(s => s with { FavourPriceMsat = 7_000 });
        var request = Request();
        var issue = Assert.IsType<IssueFavourInvoice>(Assert.Single(router.OnFrame(From(_peer, new AskForFavour(AskId.New(), request), verified: true), Now)));
        Assert.Equal(7_000UL, issue.Command.AmountMsat);
        Assert.Null(issue.Command.Preimage); // the router settles it on acceptance, if the favour is still open

        var invoice = new HoldInvoice("lnbcrt-favour", issue.Command.PaymentHash, 7_000, Now, Now.AddMinutes(2), 40, _ownNode);
        var issued = router.OnFavourInvoiceIssued(invoice, Now);
        Assert.Equal(issue.Command.PaymentHash, Assert.IsType<WatchFavourInvoice>(issued[0]).PaymentHash);
        var granted = (LightningFavourConditions)Assert.IsType<SendTo>(issued[1]).Frame;
        Assert.Equal(("lnbcrt-favour", 7_000UL), (granted.Invoice, granted.PriceMsat));
        Assert.Empty(router.OnFavourInvoiceIssued(invoice, Now)); // once
        var settle = Assert.IsType<SettleFavourInvoice>(Assert.Single(router.OnFavourInvoiceAccepted(invoice.PaymentHash, Now)));
        Assert.Equal(invoice.PaymentHash, settle.Command.Preimage.Sha256());
    }

    [Fact]
    public async Task A_favour_granted_in_the_second_after_its_invoice_was_issued_ends_with_the_invoice_so_its_payer_takes_it()
    {
        // BOLT 11 counts expiry from a whole second. Issued at .900 and granted at 1.100, the favour was valid until 2:01
        // but its invoice only until 2:00: the payer refused the invoice and judged an honest middleman for it.
        var issuedAt = Now.AddMilliseconds(900);
        var clock = new Support.ManualTimeProvider(issuedAt);
        using var lightning = new SweetGossip.Lightning.Embedded.EmbeddedLightningNetwork(new() { TimeProvider = clock, Seed = 3 });
        var (middleman, payer) = (lightning.CreateNode(0), lightning.CreateNode(1_000_000));
        var router = Router(s => s with { FavourPriceMsat = 7_000 });
        var issue = Assert.IsType<IssueFavourInvoice>(Assert.Single(router.OnFrame(From(_peer, new AskForFavour(AskId.New(), Request()), verified: true), issuedAt)));
        var invoice = await middleman.AddHoldInvoiceAsync(issue.Command.PaymentHash, issue.Command.AmountMsat, issue.Command.Memo, issue.Command.Expiry, issue.Command.CltvExpiryDelta);

        var grantedAt = issuedAt.AddMilliseconds(200);
        clock.Advance(grantedAt - issuedAt);
        var granted = (LightningFavourConditions)Assert.Single(router.OnFavourInvoiceIssued(invoice, grantedAt).OfType<SendTo>()).Frame;

        var decoded = await payer.DecodePaymentRequestAsync(granted.Invoice);
        Assert.Null(new PaymentTerms(ExactAmountMsat: granted.PriceMsat, Payee: middleman.NodeId, PayableUntil: granted.ValidUntil).Check(decoded, grantedAt));
        Assert.Equal(decoded.ExpiresAt, granted.ValidUntil); // a second short of the validity, not more
    }

    [Fact]
    public void An_invoice_issued_too_late_to_be_paid_and_redeemed_is_cancelled_not_granted()
    {
        var router = Router(s => s with { FavourPriceMsat = 7_000 });
        var issue = Assert.IsType<IssueFavourInvoice>(Assert.Single(router.OnFrame(From(_peer, new AskForFavour(AskId.New(), Request()), verified: true), Now)));
        // Settlement answered when the invoice had less than the redeem margin left.
        var answeredAt = Now + NodeDefaults.Node.FavourValidity - NodeDefaults.Node.FavourRedeemMargin + TimeSpan.FromSeconds(1);
        var effects = router.OnFavourInvoiceIssued(new HoldInvoice("lnbcrt-favour", issue.Command.PaymentHash, 7_000, Now, Now + NodeDefaults.Node.FavourValidity, 40, _ownNode), answeredAt);
        Assert.Equal(issue.Command.PaymentHash, Assert.IsType<CancelFavourInvoice>(effects[0]).Command.PaymentHash);
        Assert.DoesNotContain(effects, e => e is SendTo);
    }

    [Fact]
    public void An_announcement_to_a_node_pricing_favours_in_sats_is_invoiced_then_granted_bound_to_its_payload()
    {
        var router = Router(s => s with { FavourPriceMsat = 7_000, Dissemination = Dissemination.Announce, GatherWindow = TimeSpan.Zero });
        var request = Request();
        var announcement = new TopicAnnouncement(AskId.New(), request.Payload.PayloadId, request.PayloadHash, 5);
        var issue = Assert.IsType<IssueFavourInvoice>(Assert.Single(router.OnFrame(From(_peer, announcement), Now)));
        Assert.Equal(7_000UL, issue.Command.AmountMsat);
        Assert.Empty(router.OnFrame(From(_peer, announcement), Now).OfType<IssueFavourInvoice>()); // one invoice per (peer, payload)

        var invoice = new HoldInvoice("lnbcrt-favour", issue.Command.PaymentHash, 7_000, Now, Now.AddMinutes(2), 40, _ownNode);
        var granted = (LightningFavourConditions)Assert.Single(router.OnFavourInvoiceIssued(invoice, Now).OfType<SendTo>()).Frame;
        Assert.Equal((announcement.AskId, 7_000UL), (granted.AskId, granted.PriceMsat));
    }

    private static HoldInvoice Issued(IssueFavourInvoice issue, DateTimeOffset at, LightningNodeId node) =>
        new($"lnbcrt-{issue.Command.PaymentHash}", issue.Command.PaymentHash, issue.Command.AmountMsat, at, at.AddMinutes(2), 40, node);

    [Fact]
    public void AnnounceSats_fake_announcements_from_one_peer_issue_at_most_K_invoices()
    {
        // The attack: announcements carry no signed request, so each fake one made an invoice (and a favour) until the
        // per-peer cap of 1,024; ten identities filled the book. Now one peer gets K, and is judged when they lapse.
        var router = Router(s => s with { FavourPriceMsat = 7_000, Dissemination = Dissemination.Announce, GatherWindow = TimeSpan.Zero });
        var k = NodeDefaults.Node.AnnounceMaxUnredeemedPricedFavours;
        IReadOnlyList<IssueFavourInvoice> Flood(DateTimeOffset at) => Enumerable.Range(0, 100)
            .SelectMany(_ => router.OnFrame(From(_peer, new TopicAnnouncement(AskId.New(), PayloadId.New(), Hash32.Random(), 5)), at)).OfType<IssueFavourInvoice>().ToList();

        var issues = Flood(Now);
        Assert.Equal(k, issues.Count);
        foreach (var issue in issues) router.OnFavourInvoiceIssued(Issued(issue, Now, _ownNode), Now);
        Assert.Empty(Flood(Now.AddSeconds(30)));

        // Never paid: when the favours expire the announcer is judged for each, and gets at most K more.
        var later = Now + NodeDefaults.Node.FavourValidity + TimeSpan.FromSeconds(1);
        var judged = router.DeliveriesDue(later).OfType<Judge>().Where(j => j.Peer.Equals(_peer) && j.Behaviour == PeerBehaviour.UnredeemedFavour);
        Assert.Equal(k, judged.Count());
        Assert.Equal(k, Flood(later).Count);
    }

    [Fact]
    public void AnnounceSats_slow_first_payer_is_refunded_not_settled_once_a_second_paid_favour_delivered()
    {
        // The attack on payers: X1's payment takes longer than deliver-timeout, X2 is granted a second favour; both pay,
        // and the later broadcast is dropped. Now an invoice paid after its payload arrived is cancelled (refunded).
        var router = Router(s => s with { FavourPriceMsat = 7_000, Dissemination = Dissemination.Announce, GatherWindow = TimeSpan.Zero });
        var second = PrivateKey.Generate().PublicKey;
        router.PeerUp(second);
        var request = Request();
        var announcement = new TopicAnnouncement(AskId.New(), request.Payload.PayloadId, request.PayloadHash, 5);
        var first = Assert.IsType<IssueFavourInvoice>(Assert.Single(router.OnFrame(From(_peer, announcement), Now)));
        Assert.Empty(router.OnFrame(From(second, announcement with { AskId = AskId.New() }), Now)); // waits its turn
        router.OnFavourInvoiceIssued(Issued(first, Now, _ownNode), Now);

        var due = Now + NodeDefaults.Node.DeliverTimeout + TimeSpan.FromSeconds(1);
        var secondIssue = Assert.Single(router.DeliveriesDue(due).OfType<IssueFavourInvoice>());
        var secondGranted = (LightningFavourConditions)Assert.Single(router.OnFavourInvoiceIssued(Issued(secondIssue, due, _ownNode), due).OfType<SendTo>()).Frame;
        var settle = Assert.IsType<SettleFavourInvoice>(Assert.Single(router.OnFavourInvoiceAccepted(secondIssue.Command.PaymentHash, due)));
        var delivered = router.OnFrame(From(second, new Broadcast(secondGranted.FavourId, request, new PaymentProof(settle.Command.Preimage), 5, 0)), due);
        Assert.Single(delivered.OfType<AcceptTopic>());

        // X1's payment arrives at last: refunded, not settled; and it was told AlreadyHave, so its favour is not held against it.
        Assert.Contains(delivered, e => e is SendTo { Frame: AlreadyHave } to && to.Peer.Equals(_peer));
        var late = router.OnFavourInvoiceAccepted(first.Command.PaymentHash, due.AddSeconds(1));
        Assert.Equal(first.Command.PaymentHash, Assert.Single(late.OfType<CancelFavourInvoice>()).Command.PaymentHash);
        Assert.Empty(late.OfType<SettleFavourInvoice>());
    }

    [Fact]
    public void A_broadcast_whose_path_fee_leaves_no_room_for_a_relay_fee_is_judged()
    {
        var router = Router();
        var request = Request();
        var conditions = (PowFavourConditions)((SendTo)router.OnFrame(From(_peer, new AskForFavour(AskId.New(), request), verified: true), Now)[0]).Frame;
        var judged = Assert.IsType<Judge>(Assert.Single(router.OnFrame(From(_peer, Redeem(conditions, request, pathFee: ulong.MaxValue - 1)), Now)));
        Assert.Equal(PeerBehaviour.InvalidFrame, judged.Behaviour);
        Assert.Contains("path_fee_msat", judged.Detail);
    }

    [Fact]
    public void An_originated_topic_is_started_remembered_and_its_offers_announced()
    {
        var router = Router();
        var (request, effects) = router.Originate(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, Now, Now.AddMinutes(30), Now), TimeSpan.FromMinutes(20)), Now);
        Assert.Equal(request, Assert.IsType<StartOwnTopic>(Assert.Single(effects)).Request);
        Assert.True(_screen.Seen.Contains(request.Payload.PayloadId));

        var reply = new Reply(request.Payload.PayloadId, Hash32.Random(), 1, "lnbcrt-offer", Bytes.Empty, Bytes.Empty);
        var routed = router.OnFrame(From(_peer, reply), Now);
        Assert.IsType<AnnounceArrival>(routed[0]);
        Assert.Equal(request.Payload.PayloadId, Assert.IsType<ToTopic>(routed[1]).PayloadId);
    }

    [Fact]
    public void Frames_of_a_peer_without_a_link_are_ignored()
    {
        var router = Router();
        router.PeerDown(_peer);
        Assert.Empty(router.OnFrame(From(_peer, new ThankYou(PayloadId.New(), Hash32.Random())), Now));
    }
    [Fact]
    public void Favour_book_exhaustion_repeated_asks_for_one_unseen_payload_get_one_favour_and_are_scored()
    {
        var router = Router();
        var request = Request();
        Assert.IsType<SendTo>(Assert.Single(router.OnFrame(From(_peer, new AskForFavour(AskId.New(), request), verified: true), Now)));
        for (var i = 0; i < 100; i++)
            Assert.Equal(PeerBehaviour.Duplicate, Assert.IsType<Judge>(Assert.Single(router.OnFrame(From(_peer, new AskForFavour(AskId.New(), request), verified: true), Now))).Behaviour);
        Assert.Equal(1, router.OpenFavours);
    }

    [Fact]
    public void Favour_book_exhaustion_a_full_book_still_serves_a_peer_that_holds_no_favour()
    {
        var router = Router(s => s with { FavourBookCapacity = 20, FavourBookPerPeerCapacity = 20 });
        for (var i = 0; i < 40; i++) router.OnFrame(From(_peer, new AskForFavour(AskId.New(), Request()), verified: true), Now);
        Assert.Equal(20, router.OpenFavours);
        var honest = PrivateKey.Generate().PublicKey;
        router.PeerUp(honest);
        Assert.IsType<PowFavourConditions>(Assert.IsType<SendTo>(Assert.Single(router.OnFrame(From(honest, new AskForFavour(AskId.New(), Request()), verified: true), Now))).Frame);
    }

    [Fact]
    public void Memory_an_attacker_controls_topics_in_flight_stop_at_max_topics_and_a_topic_that_ends_frees_its_place()
    {
        var router = Router(s => s with { MaxTopics = 2 });
        for (var i = 0; i < 2; i++)
        {
            var request = Request();
            var conditions = (PowFavourConditions)((SendTo)router.OnFrame(From(_peer, new AskForFavour(AskId.New(), request), verified: true), Now)[0]).Frame;
            Assert.Contains(router.OnFrame(From(_peer, Redeem(conditions, request)), Now), e => e is AcceptTopic);
        }
        Assert.Equal(2, router.MapSizes()["topics-in-flight"]);
        Assert.IsType<Note>(Assert.Single(router.OnFrame(From(_peer, new AskForFavour(AskId.New(), Request()), verified: true), Now)));
        router.TopicEnded([]);
        Assert.IsType<SendTo>(Assert.Single(router.OnFrame(From(_peer, new AskForFavour(AskId.New(), Request()), verified: true), Now)));
    }

    [Fact]
    public void Memory_an_attacker_controls_a_hundred_thousand_invalid_asks_leave_every_map_as_it_was()
    {
        var router = Router();
        var before = router.MapSizes();
        var valid = Request();
        // Forged (another request's signature), expired, and unknown-authority asks, each under a fresh payload id
        // and a far expiry the attacker chose: none may leave a trace.
        var forged = WithSignatureOf(Request(), valid);
        var stranger = new CertificateAuthority("Strangers", PrivateKey.Generate());
        var untrusted = SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(), TaxiTopic.Create(-33.8647, 151.2096, 7, Now, Now.AddMinutes(30), Now),
            stranger.Issue(_riderKey.PublicKey, "rider", [], Now.AddDays(-1), Now.AddDays(1)), PrivateKey.Generate().PublicKey, Now, Now.AddDays(7)), _riderKey);
        var invalid = new[] { forged, untrusted };
        for (var i = 0; i < 100_000; i++)
        {
            var effects = router.OnFrame(From(_peer, new AskForFavour(AskId.New(), invalid[i % 2])), Now);
            Assert.Equal(PeerBehaviour.InvalidFrame, Assert.IsType<Judge>(Assert.Single(effects)).Behaviour);
        }
        Assert.Equal(before, router.MapSizes());
    }

    /// <summary>
    /// On a hub, an honest peer asked by member A that redialled member B answers A's ask on B: B must not score it down
    /// for "conditions for an unknown ask", nor keep anything of them; it offers them to the other members (whose router
    /// takes them only for an ask of its own), and an ask of its own still goes to its topic.
    /// </summary>
    /// <summary>
    /// H1: a peer on a hub member sends answers nobody here can place (conditions for random ask ids; replies, thanks for
    /// random payload ids), each of which the member would publish to every member. Only its burst is published, then
    /// its rate (2/s here); every one past it is dropped and judged a flood, and the budget is the peer's own (another
    /// peer's is untouched). Before, every one was published and nobody judged the peer.
    /// </summary>
    [Fact]
    public void Hub_unplaced_answers_from_one_peer_are_capped_and_the_excess_is_judged()
    {
        var router = Router(hubMember: true);
        var honest = PrivateKey.Generate().PublicKey;
        router.PeerUp(honest);
        Frame Answer(int i) => (i % 3) switch
        {
            0 => new PowFavourConditions(AskId.New(), FavourId.New(), Now.AddMinutes(2), PowSchemes.Sha256, 8),
            1 => new ThankYou(PayloadId.New(), Hash32.Random()),
            _ => new AlreadyHave(PayloadId.New()),
        };
        IReadOnlyList<RouterEffect> Unplaced(PublicKey peer, int i, DateTimeOffset at) =>
            Answer(i) is FavourConditions c ? router.OnFrame(From(peer, c), at) : router.Unplaced(From(peer, Answer(i)), at);

        var effects = Enumerable.Range(0, 30).Select(i => Assert.Single(Unplaced(_peer, i, Now))).ToList();
        Assert.Equal(3, effects.Count(e => e is ToOtherMembers));
        Assert.All(effects.Skip(3), e => Assert.Equal(PeerBehaviour.Flood, Assert.IsType<Judge>(e).Behaviour));
        Assert.All(effects.Skip(3), e => Assert.Equal(_peer, ((Judge)e).Peer));

        // Another peer's budget is its own.
        Assert.IsType<ToOtherMembers>(Assert.Single(Unplaced(honest, 0, Now)));
        // A second later the flooder has its rate again (2), not its burst.
        var later = Enumerable.Range(0, 5).Select(i => Assert.Single(Unplaced(_peer, i, Now.AddSeconds(1)))).ToList();
        Assert.Equal(2, later.Count(e => e is ToOtherMembers));
        // Its link gone, nothing of it is kept.
        router.PeerDown(_peer);
        router.PeerDown(honest);
        Assert.Equal(0, router.MapSizes()["unplaced-offer-peers"]);
    }

    [Fact]
    public void A_hub_member_does_not_judge_an_honest_peer_answering_another_members_ask_and_offers_the_answer_to_the_hub()
    {
        var router = Router(hubMember: true);
        var before = router.MapSizes();
        var elsewhere = new PowFavourConditions(AskId.New(), FavourId.New(), Now.AddMinutes(2), PowSchemes.Sha256, 8);
        var offered = Assert.IsType<ToOtherMembers>(Assert.Single(router.OnFrame(From(_peer, elsewhere), Now)));
        Assert.Equal(elsewhere, offered.Frame.Frame);
        // Only the peer's budget of such offers is kept (one entry per linked peer).
        Assert.Equal(before.Where(m => m.Key != "unplaced-offer-peers"), router.MapSizes().Where(m => m.Key != "unplaced-offer-peers"));
        Assert.Equal(1, router.MapSizes()["unplaced-offer-peers"]);
        // What another member offers is taken only for an ask this member sent, and never offered on.
        Assert.Empty(router.OnFrameViaMember(From(_peer, elsewhere), Now));

        var ask = AskId.New();
        var payload = PayloadId.New();
        router.RegisterAsk(ask, payload, Now);
        var mine = new PowFavourConditions(ask, FavourId.New(), Now.AddMinutes(2), PowSchemes.Sha256, 8);
        Assert.Equal(payload, Assert.IsType<ToTopic>(Assert.Single(router.OnFrameViaMember(From(_peer, mine), Now))).PayloadId);
    }

    [Fact]
    public void Memory_an_attacker_controls_conditions_for_asks_nobody_sent_leave_no_entry_and_a_topics_asks_go_when_it_ends()
    {
        var router = Router();
        var before = router.MapSizes();
        for (var i = 0; i < 10_000; i++)
            router.OnFrame(From(_peer, new PowFavourConditions(AskId.New(), FavourId.New(), Now.AddMinutes(2), PowSchemes.Sha256, 8)), Now);
        Assert.Equal(before, router.MapSizes());

        var asks = Enumerable.Range(0, 5).Select(_ => AskId.New()).ToList();
        foreach (var ask in asks) router.RegisterAsk(ask, PayloadId.New(), Now);
        Assert.Equal(5, router.MapSizes()["asks-routed"]);
        router.TopicEnded(asks);
        Assert.Equal(0, router.MapSizes()["asks-routed"]);
    }

}
