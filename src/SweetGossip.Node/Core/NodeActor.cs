using Akka.Actor;
using Akka.Event;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Dedup;
using SweetGossip.Node.Replies;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Pow;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Node.Core;

/// <summary>
/// A node's guardian and router. Holds what is node-wide (peers, favours granted, payloads seen,
/// per-peer difficulty), answers asks and checks broadcasts itself because those need that state,
/// and hands everything about one topic to that topic's actor. A failing topic actor is stopped and
/// logged; a failing peer connection is stopped; the node goes on.
/// </summary>
public sealed class NodeActor : ReceiveActor, IWithUnboundedStash
{
    private readonly NodeSettings _settings;
    private readonly TimeProvider _clock;
    private readonly IActorRef _settlement;
    private readonly IActorRef _transport;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<PublicKey, IActorRef> _peers = [];
    private readonly List<PublicKey> _peerOrder = [];
    private readonly Dictionary<string, PublicKey> _direct = [];
    private readonly Dictionary<string, List<Frame>> _pendingDirect = [];
    private readonly HashSet<IActorRef> _replySubscribers = [];
    private readonly HashSet<IActorRef> _arrivalSubscribers = [];
    // Topics this node originated, until they expire: their replies are announced to arrival subscribers.
    private readonly Dictionary<PayloadId, DateTimeOffset> _originated = [];
    private readonly FavourBook _favours;
    private readonly SeenPayloads _seen = new();
    private readonly VerifiedRequests _verifiedRequests = new();
    private readonly PayloadOffers _offers = new();
    private readonly DifficultyPolicy _difficulty;
    private readonly Random _random;
    private readonly IActorRef _pow;
    private readonly IActorRef _seenJournal;
    private readonly LightningNodeId _lightningNode;
    // The Lightning node each linked peer announced: its invoices must pay it. One entry per linked peer.
    private readonly Dictionary<PublicKey, LightningNodeId> _peerLightning = [];
    // Paid replies being opened and validated, by payload: the replier's Ack goes to them.
    private readonly Dictionary<PayloadId, List<IActorRef>> _deliveries = [];

    public NodeActor(NodeSettings settings, TimeProvider clock, IActorRef settlement, IActorRef transport, LightningNodeId lightningNode)
    {
        _settings = settings;
        _lightningNode = lightningNode;
        _clock = clock;
        _settlement = settlement;
        _transport = transport;
        _favours = new FavourBook(settings.Identity.PublicKey, settings.FavourValidity, settings.FavourBookCapacity, settings.Entropy);
        _difficulty = new DifficultyPolicy(settings.BaseDifficultyBits, settings.MaxExtraDifficultyBits, settings.UnthankedPerExtraBit);
        _random = settings.Seed is { } seed ? new Random(seed) : new Random();
        _pow = Context.ActorOf(PowWorker.Pool(settings.PowWorkers), "pow");

        _seenJournal = Context.ActorOf(SeenPayloadsJournal.Props("seen-" + settings.Identity.PublicKey.ToHex(), clock), "seen");
        Context.Watch(_seenJournal);
        Recovering();
    }

    public IStash Stash { get; set; } = null!;

    /// <summary>Until the payloads seen before a restart are back, nothing is decided: everything waits.</summary>
    private void Recovering()
    {
        Receive<SeenPayloadsRecovered>(recovered =>
        {
            foreach (var entry in recovered.Entries) _seen.TryAdd(entry.PayloadId, entry.ExpiresAt);
            BecomeActive();
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_seenJournal), _ =>
        {
            _log.Error("the seen-payloads journal failed to recover; starting with an empty dedup set");
            BecomeActive();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void BecomeActive()
    {
        Become(Active);
        // Replies bought before a restart (or paid while it was down) come back to be delivered.
        _settlement.Tell(new AttachPurchaseHandler(Self));
        Stash.UnstashAll();
    }

    private void Active()
    {
        Receive<PeerConnected>(OnPeerConnected);
        Receive<PeerDisconnected>(OnPeerDisconnected);
        Receive<FrameReceived>(OnFrame);
        Receive<SendToPeer>(s => SendTo(s.Peer, s.Frame));
        Receive<SendDirect>(OnSendDirect);
        Receive<Connected>(OnConnected);
        Receive<ConnectFailed>(f => { _pendingDirect.Remove(f.Address); _log.Warning("direct link to {0} failed: {1}", f.Address, f.Reason); });
        Receive<ChoosePeers>(c => Sender.Tell(new PeersChosen(FanoutSelector.Choose(_peerOrder, c.Exclude, c.Count, _random))));
        Receive<FavourOutcome>(o => { if (o.Thanked) _difficulty.Thanked(o.Peer); else _difficulty.Unthanked(o.Peer); });
        Receive<ReportPeer>(r => Report(r.Peer, r.Behaviour, r.Detail));
        Receive<ReplyPaid>(OnReplyPaid);
        Receive<OriginateTopic>(OnOriginate);
        Receive<SubscribeReplies>(OnSubscribeReplies);
        Receive<ReplyDelivered>(r => r.Recovered, r => { foreach (var s in _replySubscribers) s.Tell(r); });
        Receive<ReplyDelivered>(r =>
        {
            _settings.Observer.ReplyDelivered(_settings.Identity.PublicKey, r.PayloadId, r.Replier.Body.Subject, r.AckConfirmed, _clock.GetUtcNow());
            _settings.Observer.Payment(_settings.Identity.PublicKey, Observation.PaymentSide.OriginatorPaid, r.PaidMsat, _clock.GetUtcNow());
            foreach (var s in _replySubscribers) s.Tell(r);
        });
        Receive<Terminated>(t => OnTerminated(t.ActorRef));
        Receive<RegisterAsk>(r => _askers[r.AskId] = Sender);
        Receive<InvoiceIssued>(OnFavourInvoiceIssued);
        Receive<SettlementRejected>(r => _log.Warning("settlement refused {0}: {1}", r.Command, r.Reason));
        Receive<GetNodeStatus>(_ => Sender.Tell(new NodeStatus(_settings.Identity.PublicKey, _peers.Count, Context.GetChildren().Count(c => c.Path.Name.StartsWith("topic-", StringComparison.Ordinal)), _seen.Count, _favours.OpenCount)));
    }

    public static Props Props(NodeSettings settings, TimeProvider clock, IActorRef settlement, IActorRef transport, LightningNodeId lightningNode) =>
        ActorFactory.Props(() => new NodeActor(settings, clock, settlement, transport, lightningNode));

    protected override void PreStart()
    {
        _transport.Tell(new AttachNode(Self));
        foreach (var address in _settings.StaticPeers)
            _transport.Tell(new Connect(address, Reconnect: true));
    }

    // A topic's failure is its own: stop it, keep the node. Peer connections likewise.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _log.Error(e, "child failed; stopping it");
        return Directive.Stop;
    });

    // ------------------------------------------------------------------ peers

    private void OnPeerConnected(PeerConnected c)
    {
        if (c.Peer.Equals(_settings.Identity.PublicKey))
        {
            c.Connection.Tell(new ReportBehaviour(PeerBehaviour.InvalidFrame, "connected to itself"));
            return;
        }
        if (_peers.TryAdd(c.Peer, c.Connection)) _peerOrder.Add(c.Peer);
        else _peers[c.Peer] = c.Connection;
        // First on every link: where this node is paid, so the peer can check our invoices.
        c.Connection.Tell(new SendFrame(new LightningNodeAnnouncement(Bytes.Copy(_lightningNode.ToBytes()))));
        FlushDirect(c.Peer);
    }

    private void OnPeerDisconnected(PeerDisconnected d)
    {
        if (_peers.TryGetValue(d.Peer, out var connection) && connection.Equals(Sender))
        {
            _peers.Remove(d.Peer);
            _peerOrder.Remove(d.Peer);
            _peerLightning.Remove(d.Peer);
        }
    }

    private void SendTo(PublicKey peer, Frame frame)
    {
        if (_peers.TryGetValue(peer, out var connection))
        {
            // Sizes only when someone measures, taken where the frame is encoded anyway.
            var observer = _settings.Observer;
            Action<int>? sent = observer is Observation.NoObserver
                ? null
                : bytes => observer.FrameSent(_settings.Identity.PublicKey, peer, frame.Name, bytes, _clock.GetUtcNow());
            connection.Tell(new SendFrame(frame, sent));
        }
        else
            _log.Debug("no link to {0}: dropped {1}", PeerConnection.Short(peer), frame.Name);
    }

    private void Report(PublicKey peer, PeerBehaviour behaviour, string detail)
    {
        if (_peers.TryGetValue(peer, out var connection))
            connection.Tell(new ReportBehaviour(behaviour, detail));
    }

    private void OnSendDirect(SendDirect s)
    {
        if (_direct.TryGetValue(s.Address, out var peer) && _peers.ContainsKey(peer))
        {
            SendTo(peer, s.Frame);
            return;
        }
        if (!_pendingDirect.TryGetValue(s.Address, out var queue))
        {
            _pendingDirect[s.Address] = queue = [];
            _transport.Tell(new Connect(s.Address));
        }
        queue.Add(s.Frame);
    }

    private void OnConnected(Connected c)
    {
        _direct[c.Address] = c.Peer;
        FlushDirect(c.Peer);
    }

    /// <summary>Sends frames waiting for a direct link once the link is known and its connection registered.</summary>
    private void FlushDirect(PublicKey peer)
    {
        if (!_peers.ContainsKey(peer)) return;
        foreach (var address in _direct.Where(d => d.Value.Equals(peer)).Select(d => d.Key).ToList())
            if (_pendingDirect.Remove(address, out var frames))
                foreach (var frame in frames) SendTo(peer, frame);
    }

    // ------------------------------------------------------------------ frames

    private void OnFrame(FrameReceived received)
    {
        switch (received.Frame)
        {
            case AskForFavour ask: OnAsk(received.Peer, ask); break;
            case Broadcast broadcast: OnBroadcast(received.Peer, broadcast); break;
            case FavourConditions conditions: ToTopicOfAsk(WithPayee(received), conditions.AskId); break;
            case Reply reply: AnnounceArrival(received.Peer, reply); ToTopic(WithPayee(received), reply.PayloadId); break;
            case ThankYou thanks: ToTopic(received, thanks.PayloadId); break;
            case Validate validate: ToTopic(received, validate.PayloadId); break;
            case Ack ack: ToDeliveries(received, ack.PayloadId); ToTopic(received, ack.PayloadId); break;
            case LightningNodeAnnouncement announcement: OnLightningAnnouncement(received.Peer, announcement); break;
        }
    }

    private void OnLightningAnnouncement(PublicKey peer, LightningNodeAnnouncement announcement)
    {
        if (!_peers.ContainsKey(peer)) return;
        if (!LightningNodeId.TryFromBytes(announcement.NodeId.Span, out var node))
        {
            Report(peer, PeerBehaviour.InvalidFrame, "announced a Lightning node id that is not a secp256k1 point");
            return;
        }
        if (_peerLightning.TryGetValue(peer, out var known) && known != node)
        {
            Report(peer, PeerBehaviour.InvalidFrame, $"announced Lightning node {node} after {known} on the same link");
            return;
        }
        _peerLightning[peer] = node;
    }

    /// <summary>A frame that may carry an invoice, with the Lightning node its sender announced (the invoice must pay it).</summary>
    private FrameReceived WithPayee(FrameReceived received) =>
        _peerLightning.TryGetValue(received.Peer, out var node) ? received with { PeerLightningNode = node } : received;

    private void OnAsk(PublicKey peer, AskForFavour ask)
    {
        var now = _clock.GetUtcNow();
        var payload = ask.SignedRequest.Payload;
        _offers.Expire(now);
        var firstFromPeer = _offers.FirstFrom(payload.PayloadId, peer, payload.ExpiresAt);
        if (_seen.Contains(payload.PayloadId))
        {
            _settings.Observer.DuplicateOffered(_settings.Identity.PublicKey, payload.PayloadId, peer, now);
            // No favour for a topic this node already carries. Another path offering it is normal gossip;
            // the same peer offering it again is a chatterbox.
            if (!firstFromPeer)
                Report(peer, PeerBehaviour.Duplicate, $"asked again for payload {payload.PayloadId}, already seen");
            return;
        }
        var verified = _verifiedRequests.Contains(ask.SignedRequest);
        var verdict = RequestValidator.Validate(ask.SignedRequest, _settings.Trusted, now, signaturesAlreadyVerified: verified);
        if (!verdict.IsValid)
        {
            Report(peer, PeerBehaviour.InvalidFrame, $"ask for payload {payload.PayloadId}: {verdict.Reason}");
            return;
        }
        if (!verified) _verifiedRequests.Add(ask.SignedRequest, now);
        if (_settings.FavourPriceMsat is { } priceMsat)
        {
            GrantLightningFavour(peer, ask, priceMsat);
            return;
        }
        var conditions = _favours.GrantPow(ask, peer, _difficulty.BitsFor(peer), now);
        if (conditions is null)
            _log.Warning("favour book full: no conditions for {0}", PeerConnection.Short(peer));
        else
            SendTo(peer, conditions);
    }

    private void GrantLightningFavour(PublicKey peer, AskForFavour ask, ulong priceMsat)
    {
        var now = _clock.GetUtcNow();
        // Invoices the settlement actor never answered for (it logs why) are forgotten after a favour's validity.
        foreach (var stale in _favourInvoices.Where(p => p.Value.AskedAt + _settings.FavourValidity < now).Select(p => p.Key).ToList())
            _favourInvoices.Remove(stale);
        var preimage = _settings.Entropy.NewSecret();
        var hash = preimage.Sha256();
        _favourInvoices[hash] = new PendingFavourInvoice(peer, ask, priceMsat, now);
        // The favour is paid by a plain payment: settlement journals the preimage and settles as soon as it is accepted.
        _settlement.Tell(IssueInvoice.Settled(preimage, priceMsat, "sweetgossip favour", _settings.FavourValidity, _settings.ReplyCltvExpiryDelta));
    }

    private void OnFavourInvoiceIssued(InvoiceIssued issued)
    {
        if (!_favourInvoices.Remove(issued.Invoice.PaymentHash, out var pending)) return;
        var conditions = _favours.GrantLightning(pending.Ask, pending.Peer, pending.PriceMsat, issued.Invoice.PaymentRequest, issued.Invoice.PaymentHash, _clock.GetUtcNow());
        if (conditions is not null)
            SendTo(pending.Peer, conditions);
    }

    private void OnBroadcast(PublicKey peer, Broadcast broadcast)
    {
        var now = _clock.GetUtcNow();
        var redeemed = _favours.Redeem(broadcast, peer, now);
        if (!redeemed.IsValid)
        {
            Report(peer, PeerBehaviour.WrongProof, redeemed.Reason);
            return;
        }
        if (broadcast.PathFeeMsat > ulong.MaxValue - _settings.RelayFeeMsat)
        {
            Report(peer, PeerBehaviour.InvalidFrame, $"path_fee_msat {broadcast.PathFeeMsat} leaves no room for a relay fee below 2^64");
            return;
        }
        var payload = broadcast.SignedRequest.Payload;
        // A favour is granted only after the ask's full validation, and redeeming checks the broadcast carries
        // the very signed request of the ask: its signatures are verified already. The time-dependent checks
        // run again, because the request could have expired or been revoked since.
        var verdict = RequestValidator.Validate(broadcast.SignedRequest, _settings.Trusted, now, signaturesAlreadyVerified: true);
        if (!verdict.IsValid)
        {
            Report(peer, PeerBehaviour.InvalidFrame, verdict.Reason);
            return;
        }
        if (!_seen.TryAdd(payload.PayloadId, payload.ExpiresAt))
        {
            // Two favours granted for one payload before either broadcast arrived: a race, and paid for.
            _log.Debug("payload {0} from {1} arrived by another path first", payload.PayloadId, PeerConnection.Short(peer));
            return;
        }
        _seenJournal.Tell(new PayloadSeen(payload.PayloadId, payload.ExpiresAt));
        _seen.Expire(now);
        Report(peer, PeerBehaviour.FirstDelivery, $"payload {payload.PayloadId}");
        _settings.Observer.TopicAccepted(_settings.Identity.PublicKey, payload.PayloadId, peer, broadcast.HopsRemaining, now);
        Context.ActorOf(TopicActor.ForBroadcast(_settings, _clock, Self, _settlement, _pow, broadcast, peer), TopicActor.NameFor(payload.PayloadId));
    }

    private void OnOriginate(OriginateTopic originate)
    {
        var now = UnixTime.Truncate(_clock.GetUtcNow());
        var replyKey = _settings.Entropy.NewKey();
        var request = SignedRequestPayload.Sign(
            new RequestPayload(new PayloadId(_settings.Entropy.NewId()), originate.Topic, _settings.Certificate, replyKey.PublicKey, now, now + originate.Lifetime),
            _settings.CertificateKey);
        _seen.TryAdd(request.Payload.PayloadId, request.Payload.ExpiresAt);
        _seenJournal.Tell(new PayloadSeen(request.Payload.PayloadId, request.Payload.ExpiresAt));
        foreach (var expired in _originated.Where(o => o.Value <= now).Select(o => o.Key).ToList())
            _originated.Remove(expired);
        _originated[request.Payload.PayloadId] = request.Payload.ExpiresAt;
        _settings.Observer.TopicOriginated(_settings.Identity.PublicKey, request.Payload.PayloadId, now);
        Context.ActorOf(TopicActor.ForOrigin(_settings, _clock, Self, _settlement, _pow, request, replyKey), TopicActor.NameFor(request.Payload.PayloadId));
        Sender.Tell(new TopicOriginated(request.Payload.PayloadId, request));
    }

    // ------------------------------------------------------------------ replies to the app

    /// <summary>A bought reply is paid (now, or before a restart): one delivery opens, validates and delivers it.</summary>
    private void OnReplyPaid(ReplyPaid paid)
    {
        var reply = paid.Purchase.Reply;
        var name = ReplyDelivery.NameFor(reply);
        if (!Context.Child(name).IsNobody()) return;
        var delivery = Context.ActorOf(ReplyDelivery.Props(Self, _settlement, paid, _settings.ValidateTimeout), name);
        Context.Watch(delivery);
        if (!_deliveries.TryGetValue(reply.PayloadId, out var list)) _deliveries[reply.PayloadId] = list = [];
        list.Add(delivery);
    }

    private void ToDeliveries(FrameReceived received, PayloadId payloadId)
    {
        if (_deliveries.TryGetValue(payloadId, out var list))
            foreach (var delivery in list) delivery.Forward(received);
    }

    private void OnTerminated(IActorRef actor)
    {
        _replySubscribers.Remove(actor);
        _arrivalSubscribers.Remove(actor);
        foreach (var (payloadId, list) in _deliveries.Where(d => d.Value.Contains(actor)).ToList())
            if (list.Remove(actor) && list.Count == 0) _deliveries.Remove(payloadId);
    }

    private void OnSubscribeReplies(SubscribeReplies subscribe)
    {
        _replySubscribers.Add(subscribe.Subscriber);
        if (subscribe.IncludeArrivals) _arrivalSubscribers.Add(subscribe.Subscriber);
        Context.Watch(subscribe.Subscriber);
    }

    private void AnnounceArrival(PublicKey via, Reply reply)
    {
        if (_arrivalSubscribers.Count == 0 || !_originated.ContainsKey(reply.PayloadId)) return;
        var arrived = new ReplyArrived(reply.PayloadId, via, reply.Invoice);
        foreach (var s in _arrivalSubscribers) s.Tell(arrived);
    }

    // ------------------------------------------------------------------ routing to topics

    private readonly Dictionary<AskId, IActorRef> _askers = [];

    /// <summary>Topic actors register the asks they send, so the conditions find their way back.</summary>
    internal sealed record RegisterAsk(AskId AskId);

    private void ToTopicOfAsk(FrameReceived received, AskId askId)
    {
        if (_askers.Remove(askId, out var topic)) topic.Forward(received);
        else Report(received.Peer, PeerBehaviour.InvalidFrame, $"conditions for unknown ask {askId}");
    }

    private void ToTopic(FrameReceived received, PayloadId payloadId)
    {
        var topic = Context.Child(TopicActor.NameFor(payloadId));
        if (topic.IsNobody())
            _log.Debug("{0} from {1} for payload {2} this node no longer tracks", received.Frame.Name, PeerConnection.Short(received.Peer), payloadId);
        else
            topic.Forward(received);
    }

    // A Lightning favour waiting for its invoice, by payment hash (answers come as plain messages, not Asks).
    private readonly Dictionary<Hash32, PendingFavourInvoice> _favourInvoices = [];

    private sealed record PendingFavourInvoice(PublicKey Peer, AskForFavour Ask, ulong PriceMsat, DateTimeOffset AskedAt);
}
