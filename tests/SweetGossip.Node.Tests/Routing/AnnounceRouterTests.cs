using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Routing;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Node.Tests.Routing;

/// <summary>Announce dissemination (docs/protocol.md D24) in the router, without actors: frames in, effects out.</summary>
public class AnnounceRouterTests
{
    private static readonly DateTimeOffset Now = UnixTime.Truncate(DateTimeOffset.UtcNow);
    private static readonly TimeSpan DeliverTimeout = TimeSpan.FromSeconds(5);
    private readonly CertificateAuthority _authority = new("Test Council", PrivateKey.Generate());
    private readonly TrustedAuthorities _trusted = new();
    private readonly PrivateKey _nodeKey = PrivateKey.Generate();
    private readonly PrivateKey _riderKey = PrivateKey.Generate();
    private readonly PublicKey _a = PrivateKey.Generate().PublicKey;
    private readonly PublicKey _b = PrivateKey.Generate().PublicKey;
    private readonly FrameScreen _screen;
    private readonly NodeRouter _router;

    public AnnounceRouterTests()
    {
        _trusted.Trust(_authority.Name, _authority.PublicKey);
        _screen = new FrameScreen(_trusted);
        var settings = NodeDefaults.Node with
        {
            Identity = _nodeKey, CertificateKey = _nodeKey, Trusted = _trusted, ContactAddress = "node", BaseDifficultyBits = 4,
            Certificate = _authority.Issue(_nodeKey.PublicKey, "relay", [], Now.AddDays(-1), Now.AddDays(1)),
            Dissemination = Dissemination.Announce, DeliverTimeout = DeliverTimeout, GatherWindow = TimeSpan.Zero,
        };
        _router = new NodeRouter(settings, _screen, LightningNodeId.FromPrivateKey(PrivateKey.Generate()));
        _router.PeerUp(_a);
        _router.PeerUp(_b);
    }

    private SignedRequestPayload Request() => SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(), TaxiTopic.Create(-33.8647, 151.2096, 7, Now, Now.AddMinutes(30), Now),
        _authority.Issue(_riderKey.PublicKey, "rider", [], Now.AddDays(-1), Now.AddDays(1)), PrivateKey.Generate().PublicKey, Now, Now.AddMinutes(20)), _riderKey);

    private static TopicAnnouncement Announce(SignedRequestPayload request) => new(AskId.New(), request.Payload.PayloadId, request.PayloadHash, 5);

    private IReadOnlyList<RouterEffect> Frame(PublicKey peer, Frame frame, DateTimeOffset? at = null) => _router.OnFrame(new FrameReceived(peer, frame), at ?? Now);

    private static PowFavourConditions Conditions(IReadOnlyList<RouterEffect> effects) =>
        (PowFavourConditions)Assert.IsType<SendTo>(Assert.Single(effects)).Frame;

    private Broadcast Redeem(PowFavourConditions conditions, SignedRequestPayload request, Hash32? payloadHash = null)
    {
        var challenge = FavourChallenge.For(conditions, payloadHash ?? request.PayloadHash, _nodeKey.PublicKey);
        var nonce = PowSolver.Solve(challenge.ComputeChallengeHash(), conditions.DifficultyBits, 0, ulong.MaxValue, CancellationToken.None).Nonce;
        return new Broadcast(conditions.FavourId, request, new PowProof(nonce), 4, 0);
    }

    [Fact]
    public void An_announcement_is_answered_with_a_favour_whose_broadcast_is_validated_and_accepted()
    {
        var request = Request();
        var announcement = Announce(request);
        var conditions = Conditions(Frame(_a, announcement));
        Assert.Equal(announcement.AskId, conditions.AskId);

        var accepted = Frame(_a, Redeem(conditions, request));
        Assert.Equal(PeerBehaviour.FirstDelivery, Assert.IsType<Judge>(accepted[0]).Behaviour);
        Assert.Equal(_a, Assert.IsType<AcceptTopic>(accepted[1]).Source);
        Assert.True(_screen.Seen.Contains(request.Payload.PayloadId));
    }

    [Fact]
    public void A_seen_payload_announced_gets_silence_and_the_same_peer_announcing_it_again_is_a_duplicate()
    {
        var request = Request();
        Frame(_a, Redeem(Conditions(Frame(_a, Announce(request))), request));

        Assert.Empty(Frame(_b, Announce(request))); // another path: normal gossip
        Assert.Equal(PeerBehaviour.Duplicate, Assert.IsType<Judge>(Assert.Single(Frame(_b, Announce(request)))).Behaviour);
    }

    [Fact]
    public void A_second_announcer_gets_no_favour_while_the_first_one_is_awaited()
    {
        var request = Request();
        Conditions(Frame(_a, Announce(request)));
        Assert.Empty(Frame(_b, Announce(request)));
        Assert.Empty(_router.DeliveriesDue(Now + DeliverTimeout - TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Announcer_that_never_delivers_cannot_cut_the_branch_the_next_announcer_is_granted_and_delivers()
    {
        var request = Request();
        var first = Conditions(Frame(_a, Announce(request))); // a takes the favour and stays silent
        var fromB = Announce(request);
        Assert.Empty(Frame(_b, fromB));

        Assert.Equal(Now + DeliverTimeout, _router.NextDeliveryDeadline);
        var due = _router.DeliveriesDue(Now + DeliverTimeout);
        var second = (PowFavourConditions)Assert.Single(due.OfType<SendTo>(), s => s.Peer.Equals(_b)).Frame;
        Assert.Equal(fromB.AskId, second.AskId);

        var accepted = Frame(_b, Redeem(second, request), Now + DeliverTimeout);
        Assert.Equal(_b, Assert.Single(accepted.OfType<AcceptTopic>()).Source);
        // a still holds a favour: it is told this node already has the payload (GossipSub's IDONTWANT).
        var told = Assert.Single(accepted.OfType<SendTo>());
        Assert.Equal((_a, (Frame)new AlreadyHave(request.Payload.PayloadId)), (told.Peer, told.Frame));
        // a's late broadcast is paid for but carries nothing new.
        Assert.Empty(Frame(_a, Redeem(first, request), Now + DeliverTimeout));
    }

    [Fact]
    public void AnnouncePow_a_peer_that_collects_favours_for_its_announcements_and_never_delivers_is_judged_for_each()
    {
        // The attack: announcements are free, so a peer announces payloads (real or not), takes the proof-of-work favour
        // each time and never delivers. Each makes this node wait deliver-timeout for the payload's next announcer; only
        // its priced twin (unredeemed-favour) was judged. Now every such favour counts against the peer when it expires.
        var favours = Enumerable.Range(0, 5).Select(_ => Conditions(Frame(_a, Announce(Request())))).ToList();
        Assert.Equal(5, favours.Select(f => f.FavourId).Distinct().Count());

        Assert.DoesNotContain(_router.DeliveriesDue(Now + DeliverTimeout).OfType<Judge>(), j => j.Behaviour == PeerBehaviour.UndeliveredFavour);
        var expired = Now + NodeDefaults.Node.FavourValidity + TimeSpan.FromSeconds(1);
        var judged = _router.DeliveriesDue(expired).OfType<Judge>().Where(j => j.Behaviour == PeerBehaviour.UndeliveredFavour).ToList();
        Assert.Equal(5, judged.Count);
        Assert.All(judged, j => Assert.Equal(_a, j.Peer));
        // The node's defaults make it a penalty: the peer sinks, is asked last, and is dropped at the threshold.
        Assert.True(NodeDefaults.Node.Scoring.Weight(PeerBehaviour.UndeliveredFavour) < 0);
    }

    [Fact]
    public void AnnouncePow_an_announcer_told_already_have_or_that_declined_in_time_is_not_judged_when_its_favour_expires()
    {
        // a holds the announced favour; c, asked with the whole request, delivers before a's deadline: a need not deliver.
        var c = PrivateKey.Generate().PublicKey;
        _router.PeerUp(c);
        var request = Request();
        Conditions(Frame(_a, Announce(request)));
        var ask = new AskForFavour(AskId.New(), request);
        var forC = Conditions(Frame(c, ask));
        var withinDeadline = Now + DeliverTimeout - TimeSpan.FromSeconds(1);
        Assert.Contains(Frame(c, Redeem(forC, request), withinDeadline), e => e is SendTo { Frame: AlreadyHave } to && to.Peer.Equals(_a));
        // a declines another payload's favour before its deadline.
        var declined = Request();
        Conditions(Frame(_a, Announce(declined)));
        Frame(_a, new FavourDeclined(declined.Payload.PayloadId), withinDeadline);

        var expired = Now + NodeDefaults.Node.FavourValidity + TimeSpan.FromSeconds(10);
        Assert.DoesNotContain(_router.DeliveriesDue(expired).OfType<Judge>(), j => j.Behaviour == PeerBehaviour.UndeliveredFavour);
    }

    [Fact]
    public void AnnouncePow_an_announcer_told_already_have_past_its_deadline_is_judged_when_its_favour_expires()
    {
        // a takes the favour and misses its deadline: b is granted and delivers; a, told AlreadyHave, held the turn for nothing.
        var request = Request();
        Conditions(Frame(_a, Announce(request)));
        Assert.Empty(Frame(_b, Announce(request)));
        var second = (PowFavourConditions)Assert.Single(_router.DeliveriesDue(Now + DeliverTimeout).OfType<SendTo>(), s => s.Peer.Equals(_b)).Frame;
        Assert.Contains(Frame(_b, Redeem(second, request), Now + DeliverTimeout), e => e is SendTo { Frame: AlreadyHave } to && to.Peer.Equals(_a));

        var expired = Now + NodeDefaults.Node.FavourValidity + TimeSpan.FromSeconds(10);
        var judged = _router.DeliveriesDue(expired).OfType<Judge>().Where(j => j.Behaviour == PeerBehaviour.UndeliveredFavour).ToList();
        Assert.Equal(_a, Assert.Single(judged).Peer);
    }

    [Fact]
    public void AnnouncePow_an_announcer_that_declines_past_its_deadline_is_judged_when_its_favour_expires()
    {
        // a holds the turn past its deadline, then declines: the turn passes to b, which delivers.
        var request = Request();
        Conditions(Frame(_a, Announce(request)));
        Assert.Empty(Frame(_b, Announce(request)));
        var late = Now + DeliverTimeout + TimeSpan.FromSeconds(1);
        var second = (PowFavourConditions)Assert.IsType<SendTo>(Assert.Single(Frame(_a, new FavourDeclined(request.Payload.PayloadId), late), e => e is SendTo s && s.Peer.Equals(_b))).Frame;
        Frame(_b, Redeem(second, request), late);

        var expired = Now + NodeDefaults.Node.FavourValidity + TimeSpan.FromSeconds(10);
        var judged = _router.DeliveriesDue(expired).OfType<Judge>().Where(j => j.Behaviour == PeerBehaviour.UndeliveredFavour).ToList();
        Assert.Equal(_a, Assert.Single(judged).Peer);
    }

    [Fact]
    public void A_declined_favour_goes_to_the_next_announcer_at_once_and_a_notice_from_a_peer_not_awaited_changes_nothing()
    {
        var request = Request();
        Conditions(Frame(_a, Announce(request)));
        var fromB = Announce(request);
        Assert.Empty(Frame(_b, fromB));

        Assert.Empty(Frame(_b, new FavourDeclined(request.Payload.PayloadId))); // b holds no favour: nothing to hand on
        var second = (PowFavourConditions)Assert.IsType<SendTo>(Assert.Single(Frame(_a, new FavourDeclined(request.Payload.PayloadId)), e => e is SendTo s && s.Peer.Equals(_b))).Frame;
        Assert.Equal(fromB.AskId, second.AskId);
        Assert.Empty(_router.DeliveriesDue(Now + DeliverTimeout)); // b delivers or not: nobody else announced it
    }

    [Fact]
    public void A_broadcast_of_another_payload_than_the_announced_one_is_judged_a_wrong_proof()
    {
        var announced = Request();
        var conditions = Conditions(Frame(_a, Announce(announced)));
        var other = Request();
        // Even with work done over the other payload's hash, the favour is bound to the announced hash.
        var judged = Assert.IsType<Judge>(Assert.Single(Frame(_a, Redeem(conditions, other))));
        Assert.Equal(PeerBehaviour.WrongProof, judged.Behaviour);
        Assert.False(_screen.Seen.Contains(other.Payload.PayloadId));
    }

    [Fact]
    public void A_forged_request_behind_an_announcement_is_judged_invalid_when_its_broadcast_arrives()
    {
        var forged = WithSignatureOf(Request(), Request()); // one request's bytes, another's signature
        var conditions = Conditions(Frame(_a, Announce(forged)));
        var judged = Assert.IsType<Judge>(Assert.Single(Frame(_a, Redeem(conditions, forged))));
        Assert.Equal(PeerBehaviour.InvalidFrame, judged.Behaviour);
        Assert.False(_screen.Seen.Contains(forged.Payload.PayloadId));
    }

    /// <summary>One request's payload bytes with another's signature: what a forger can put on the wire.</summary>
    private static SignedRequestPayload WithSignatureOf(SignedRequestPayload payloadOf, SignedRequestPayload signatureOf)
    {
        var bytes = SweetGossip.Protocol.Wire.FrameCodec.Encode(new AskForFavour(AskId.New(), payloadOf));
        signatureOf.OriginatorSignature.Span.CopyTo(bytes.AsSpan(bytes.AsSpan().IndexOf(payloadOf.OriginatorSignature.Span)));
        return ((AskForFavour)SweetGossip.Protocol.Wire.FrameCodec.Decode(bytes)).SignedRequest;
    }

    [Fact]
    public void Already_have_goes_to_the_topic_it_names()
    {
        var id = PayloadId.New();
        var route = Assert.IsType<ToTopic>(Assert.Single(Frame(_a, new AlreadyHave(id))));
        Assert.Equal(id, route.PayloadId);
    }
}
