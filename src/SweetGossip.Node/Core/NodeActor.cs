using Akka.Actor;
using Akka.Event;
using SweetGossip.Lightning.Port;
using SweetGossip.Cluster.Claims;
using SweetGossip.Node.Dedup;
using SweetGossip.Node.Hub;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Pow;
using SweetGossip.Node.Replies;
using SweetGossip.Node.Routing;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Core;

/// <summary>
/// A node's guardian. It hosts the <see cref="NodeRouter"/> (the protocol's order of steps, I/O-free) and carries
/// out what it decides: sends frames through the peers' connections, scores peers, starts one
/// <see cref="TopicActor"/> per topic and routes that topic's frames to it, journals payloads seen, asks
/// settlement for favour invoices, opens direct links for Validate/Ack and delivers paid replies. A failing topic
/// actor is stopped and logged; a failing peer connection is stopped; the node goes on.
/// </summary>
public sealed class NodeActor : UntypedActor, IWithUnboundedStash, IWithTimers
{
    private readonly NodeSettings _settings;
    private readonly TimeProvider _clock;
    private readonly IActorRef _settlement;
    private readonly IActorRef _transport;
    private readonly NodeRouter _router;
    private readonly PeerChoice _peerChoice;
    private readonly PeerScoreBook _scores;
    // Made when first used: most simulated nodes never log, and an adapter with its source (the actor's path) is ≈ 0.15 KB
    // per node (issue 13 item 3). Made from the cell kept here, as the supervisor's decider may log outside a message.
    private readonly IActorContext _cell = Context;
    private ILoggingAdapter? _logger;
    private readonly Dictionary<PublicKey, IActorRef> _connections = [];
    // The link a newer one replaced, until it reports its end: two links to one peer (a hub at several member addresses,
    // both redialled at once) announce themselves in no fixed order, and the transport may keep the one announced first.
    private Dictionary<PublicKey, IActorRef>? _replaced;
    // Which topics hold which peer's link: told when it closes or is replaced.
    private readonly LinkHolders _linkHolders = new();
    // Frames for peers with no link yet, closed links' handed-back ones included (a redialled peer's new link comes up after its old one stopped).
    private readonly FramesAwaitingLink _awaitingLink;
    private readonly Dictionary<string, PublicKey> _direct = [];
    // These four and _replaced are made on first use and then kept (so their order is as if made up front): most simulated
    // nodes never use them, and empty they were ≈ 370 bytes per node (issue 13 item 3).
    private Dictionary<string, List<Frame>>? _pendingDirect;
    private HashSet<IActorRef>? _replySubscribers;
    private HashSet<IActorRef>? _arrivalSubscribers;
    // Paid replies being opened and validated, by payload: the replier's Ack goes to them.
    private Dictionary<PayloadId, List<IActorRef>>? _deliveries;
    private readonly PowPool _pow;
    private readonly SettledTopics _settledTopics;
    private readonly SettlingTopics _settling;
    private readonly SettlingFavours _settlingFavours;
    // Null on a simulator node (InMemoryNetwork.SimulatorNodes): it never restarts, so it has nothing to journal.
    private readonly IActorRef? _seenJournal;
    // A member of a relay hub claims each accepted topic hub-wide before relaying it; a plain node has no hub.
    private readonly HubRole? _hub;
    // A hub member's ask ids, which name it (its MemberTopic tag); null on a plain node.
    private readonly MemberAsks? _memberAsks;
    private readonly PendingClaims _claims;
    // A hub member: the peers other members link to (their topics' asks reach them through those members' links), and
    // the topics of other members whose frames went out on this member's links (the peers' answers go back to them).
    private IReadOnlyList<PublicKey> _hubPeers = [];
    private readonly MemberTopics _memberTopics;

    public NodeActor(NodeSettings settings, TimeProvider clock, IActorRef settlement, IActorRef transport, LightningNodeId lightningNode, FrameScreen? screen, PeerScoreBook? scores,
        HubRole? hub, bool simulatorNode = false)
    {
        (_settings, _clock, _settlement, _transport, _hub) = (settings, clock, settlement, transport, hub);
        _memberAsks = hub is null ? null : new MemberAsks(settings.Identity, Cluster.Peers.MemberTopic.TagOf(hub.Member));
        _claims = new PendingClaims(settings.MaxTopics);
        _memberTopics = new MemberTopics(settings.MaxTopics);
        _awaitingLink = new FramesAwaitingLink(settings.LinkDrainHoldFramesPerPeer, settings.LinkDrainHoldFrames);
        _scores = scores ?? NodeHost.ScoreBook(settings);
        _router = new NodeRouter(settings, screen ?? NodeHost.Screen(settings), lightningNode, _scores) { HubMember = hub is not null, UnplacedBudget = hub?.Mediator is null ? null : hub.UnplacedOffers };
        _peerChoice = new PeerChoice(settings.PeerChoice, settings.Seed is { } seed ? new Random(PeerChoice.SeedOf(seed)) : new Random());
        var powQueue = new PowQueue(settings.PowQueueCapacity);
        // A simulator node's one worker needs no actor (docs/decisions.md, "A simulator node's PoW worker and seen payloads").
        _pow = new PowPool(simulatorNode && hub is null && settings.PowWorkers <= 1
            ? new PowWorkerRef(Context.System, Self.Path, powQueue, clock)
            : Context.ActorOf(hub?.PowPool?.Invoke(powQueue, clock) ?? PowWorker.Pool(settings.PowWorkers, powQueue, clock), "pow"), powQueue);
        // A settled topic is a seen payload whose actor stopped: as many records as topics may be in flight.
        _settledTopics = new SettledTopics(settings.MaxTopics);
        _settling = new SettlingTopics(settings.MaxRepliesPerTopic);
        _settlingFavours = new SettlingFavours(settings.FavourBookCapacity);
        if (!simulatorNode)
        {
            _seenJournal = Context.ActorOf(SeenPayloadsJournal.Props(SeenJournalId(settings.Identity.PublicKey, hub), clock), "seen");
            Context.Watch(_seenJournal);
        }
    }

    public IStash Stash { get; set; } = null!;

    private ILoggingAdapter Log => _logger ??= _cell.GetLogger();

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="screen">The frame screen the node's transport hands its connections (dedup and verified requests are shared with it).</param>
    /// <param name="scores">The score book the node's transport hands its connections; null: a book of the node's own (tests without a transport).</param>
    /// <param name="hub">This node's part in a relay hub (issue 12); null: a plain node.</param>
    /// <param name="simulatorNode">A simulator's node (<see cref="Transport.InMemoryNetwork.SimulatorNodes"/>): no seen-payloads journal, a PoW worker without an actor.</param>
    /// <summary>
    /// The seen-payloads journal's persistence id: per identity on a plain node, per member on a hub, whose members share
    /// the identity and, on PostgreSQL, the journal (one writer per persistence id).
    /// </summary>
    public static string SeenJournalId(PublicKey identity, HubRole? hub) =>
        hub is null ? "seen-" + identity.ToHex() : $"seen-{identity.ToHex()}-{SweetGossip.Cluster.Books.BookId.Of(hub.Member)}";

    public static Props Props(NodeSettings settings, TimeProvider clock, IActorRef settlement, IActorRef transport, LightningNodeId lightningNode, FrameScreen? screen = null,
        PeerScoreBook? scores = null, HubRole? hub = null, bool simulatorNode = false) =>
        ActorFactory.Props(() => new NodeActor(settings, clock, settlement, transport, lightningNode, screen, scores, hub, simulatorNode));

    private DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>How many peers a new topic asks first (as <see cref="TopicAsks.Wanted"/> starts).</summary>
    private int FirstAsks => _settings.Dissemination == Dissemination.Announce ? _settings.MaxAsksPerTopic : Math.Min(_settings.Fanout, _settings.MaxAsksPerTopic);

    // Announce dissemination: when the deliveries timer is due (null: not running).
    private DateTimeOffset? _deliveriesDueAt;

    // Recovering until the journal's payloads are back; then active. A flag and a switch instead of ReceiveActor's
    // Become: building the typed handler tables was tens of KB allocated per node (issue 13 item 3).
    private bool _active;

    protected override void OnReceive(object message)
    {
        if (_active) Active(message);
        else Recovering(message);
    }

    /// <summary>Until the payloads seen before a restart are back, nothing is decided: everything waits.</summary>
    private void Recovering(object message)
    {
        switch (message)
        {
            case SeenPayloadsRecovered recovered:
                foreach (var entry in recovered.Entries) _router.Recover(entry.PayloadId, entry.ExpiresAt);
                BecomeActive();
                break;
            case Terminated t when t.ActorRef.Equals(_seenJournal):
                Log.Error("the seen-payloads journal failed to recover; starting with an empty dedup set");
                BecomeActive();
                break;
            default:
                Stash.Stash();
                break;
        }
    }

    private void BecomeActive()
    {
        _active = true;
        // Replies bought before a restart (or paid while it was down) come back to be delivered.
        _settlement.Tell(new AttachPurchaseHandler(Self));
        Stash.UnstashAll();
    }

    private void Active(object message)
    {
        switch (message)
        {
            case PeerConnected c: OnPeerConnected(c); break;
            case PeerDisconnected d: OnPeerDisconnected(d); break;
            case FrameReceived f:
                Carry(_router.OnFrame(f, Now));
                if (_settings.Dissemination == Dissemination.Announce) ScheduleDeliveries();
                break;
            case DeliveriesDue:
                _deliveriesDueAt = null;
                Carry(_router.DeliveriesDue(Now));
                ScheduleDeliveries();
                break;
            case SendToPeer s: SendTo(s.Peer, s.Frame); break;
            case FrameReturned r: OnFrameReturned(r); break;
            case AwaitingLinkDue: OnAwaitingLinkDue(); break;
            case SendDirect d: OnSendDirect(d); break;
            case Connected c: OnConnected(c); break;
            case ConnectFailed f: _pendingDirect?.Remove(f.Address); Log.Warning("direct link to {0} failed: {1}", f.Address, f.Reason); break;
            case ChoosePeers c: OnChoosePeers(c); break;
            case FavourOutcome o: _router.FavourOutcome(o.Peer, o.Thanked, Now); break;
            case TopicHanded h:
                if (_peerChoice.Handed(h.Peer)) Report(h.Peer, PeerBehaviour.DeliveryDeficit, $"handed {_settings.PeerChoice.DeficitAfter} or more topics since its last first delivery");
                break;
            case TopicEnded e:
                _router.TopicEnded(e.Asks);
                _linkHolders.Ended(e.PayloadId);
                break;
            case TopicSettled s: OnTopicSettled(s); break;
            case FrameHandedBack h:
                var handedBack = new ToTopic(h.PayloadId, h.Frame);
                // A Reply that could revive the topic waits for it to stop; any other frame is handled now, as for a settled
                // topic (or routed as usual if the topic stopped before its record reached this guardian).
                if (_settling.TryHold(handedBack, h.Frame.ViaMember, handedBack: true, out var fullOnHandBack)) break;
                if (fullOnHandBack) RepliesPastBound(h.PayloadId, h.Frame);
                else Carry([handedBack], h.Frame.ViaMember);
                break;
            case ReportPeer r: Report(r.Peer, r.Behaviour, r.Detail); break;
            case InvoiceIssued i: Carry(_router.OnFavourInvoiceIssued(i.Invoice, Now)); break;
            // Favour invoices are watched: paid (accepted) is when the router settles or refunds; other changes need nothing.
            case InvoiceChanged c:
                if (c.State == RecordedInvoiceState.Accepted) Carry(_router.OnFavourInvoiceAccepted(c.PaymentHash, Now));
                break;
            case InvoiceSettled settled:
                if (_settlingFavours.TryTake(settled.PaymentHash, out var earned))
                    _settings.Observer.Payment(_settings.Identity.PublicKey, Observation.PaymentSide.FavourEarned, earned, Now);
                break;
            case PreimageLearned: break;
            case InvoiceCancelled c: Log.Info("favour invoice {0} cancelled (any payment refunded): {1}", c.PaymentHash, c.Reason); break;
            case SettlementRejected r: Log.Warning("settlement refused {0}: {1}", r.Command, r); break;
            case OriginateTopic o: OnOriginate(o); break;
            case ReplyPaid p: OnReplyPaid(p); break;
            case SubscribeReplies s: OnSubscribeReplies(s); break;
            case ReplyDelivered { Recovered: true } r:
                if (_replySubscribers is not null) foreach (var s in _replySubscribers) s.Tell(r);
                break;
            case ReplyDelivered r:
                _settings.Observer.ReplyDelivered(_settings.Identity.PublicKey, r.PayloadId, r.Replier.Body.Subject, r.AckConfirmed, Now);
                _settings.Observer.Payment(_settings.Identity.PublicKey, Observation.PaymentSide.OriginatorPaid, r.PaidMsat, Now);
                if (_replySubscribers is not null) foreach (var s in _replySubscribers) s.Tell(r);
                break;
            case Terminated t: OnTerminated(t.ActorRef); break;
            case Cluster.Peers.PeerUnreachable u: Log.Debug("no member of the hub links to {0}: dropped {1} ({2})", PeerConnection.Short(u.Peer), u.Frame.Name, u.Reason); break;
            case Cluster.Peers.HubPeers view: _hubPeers = view.Peers; break;
            case DeliveredForMember d: OnDeliveredForMember(d); break;
            case Cluster.Peers.PeerJudgedByMember j: Report(j.Peer, j.Behaviour, "judged by another member of the hub: " + j.Detail, judgedByMember: true); break;
            case Akka.Cluster.Tools.PublishSubscribe.SubscribeAck: break;
            case Cluster.Peers.FrameViaMember v: OnFrameViaMember(v); break;
            case AnswerNotPlaced n: OfferToOtherMembers(n.Answer); break;
            case TopicClaimed c: OnTopicClaimed(c); break;
            case AlreadyClaimed lost: ClaimLost(lost.PayloadId, lost.Owner.ToString()); break;
            case ClaimOverdue o: OnClaimOverdue(o); break;
            case GetNodeStatus:
                Sender.Tell(new NodeStatus(_settings.Identity.PublicKey, _router.PeerCount, _router.TopicsInFlight, _router.SeenCount, _router.OpenFavours)
                {
                    Maps = MapSizes(),
                });
                break;
            default: Unhandled(message); break;
        }
    }

    protected override void PreStart()
    {
        _transport.Tell(new AttachNode(Self) { LinkDrainTimeout = _settings.LinkDrainTimeout });
        _hub?.PeerLinks.Tell(new Cluster.Peers.SubscribeHubPeers(Self));
        _hub?.Mediator?.Tell(new Akka.Cluster.Tools.PublishSubscribe.Subscribe(Cluster.Peers.FrameViaMember.UnplacedTopic, Self));
        if (_memberAsks is not null) _hub?.Mediator?.Tell(new Akka.Cluster.Tools.PublishSubscribe.Subscribe(Cluster.Peers.MemberTopic.Of(_memberAsks.Tag), Self));
        foreach (var address in _settings.StaticPeers)
            _transport.Tell(new Connect(address, Reconnect: true));
        if (_seenJournal is null) BecomeActive(); // a simulator node: no payloads to recover
    }

    // A topic's failure is its own: stop it, keep the node. Peer connections likewise.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        Log.Error(e, "child failed; stopping it");
        return Directive.Stop;
    });

    // ------------------------------------------------------------------ carrying out the router's effects

    /// <param name="viaMember">Effects of a frame another member forwarded: a topic that is not here is not looked for elsewhere.</param>
    private void Carry(IReadOnlyList<RouterEffect> effects, bool viaMember = false)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case SendTo send: SendTo(send.Peer, send.Frame); break;
                case Judge judge: Report(judge.Peer, judge.Behaviour, judge.Detail); break;
                case AcceptTopic accept:
                    var payload = accept.Broadcast.SignedRequest.Payload;
                    _peerChoice.FirstDelivery(accept.Source); // GossipSub's P2: the router accepts only a new, valid topic
                    _seenJournal?.Tell(new PayloadSeen(payload.PayloadId, payload.ExpiresAt));
                    if (_hub is null) StartTopic(accept);
                    else Claim(accept);
                    break;
                case StartOwnTopic own:
                    _seenJournal?.Tell(new PayloadSeen(own.Request.Payload.PayloadId, own.Request.Payload.ExpiresAt));
                    // A fresh id cannot be claimed already; claimed all the same so a member it comes back to drops it.
                    _hub?.TopicClaims.Tell(new ClaimTopic(own.Request.Payload.PayloadId, new TopicOwner(_hub.Member, "self"), own.Request.Payload.ExpiresAt), Self);
                    var firstOwn = Choose([], FirstAsks, own.Request.Payload.PayloadId);
                    Context.ActorOf(TopicActor.ForOrigin(_settings, _clock, Self, _settlement, _pow, own.Request, own.ReplyKey, own.Onward, firstOwn), TopicActor.NameFor(own.Request.Payload.PayloadId));
                    break;
                case ToTopic route:
                    // Its topic settled and is stopping (see OnTopicSettled): a Reply that would revive it waits for the
                    // name to be free; any other frame is handled as for a settled topic, which the stopping actor is.
                    var settlingTopic = _settling.IsSettling(route.PayloadId);
                    if (settlingTopic && (_settling.TryHold(route, viaMember, handedBack: false, out var full) || full))
                    {
                        if (full) RepliesPastBound(route.PayloadId, route.Frame);
                        break;
                    }
                    var topic = settlingTopic ? ActorRefs.Nobody : Context.Child(TopicActor.NameFor(route.PayloadId));
                    // A settled topic comes back for a reply from a peer it broadcast to; other replies and thanks are judged
                    // here. (Not while it is stopping: such a Reply was held above, and the name is still taken.)
                    if (topic.IsNobody() && route.Frame.Frame is Reply or ThankYou)
                    {
                        if (_settledTopics.TryRevive(route.PayloadId, route.Frame.Peer, route.Frame.Frame, Now, out var settled, out var refusal))
                            topic = Context.ActorOf(TopicActor.ForSettled(_settings, _clock, Self, _settlement, _pow, settled), TopicActor.NameFor(route.PayloadId));
                        else if (refusal is not null)
                        {
                            Report(route.Frame.Peer, PeerBehaviour.InvalidFrame, refusal);
                            break;
                        }
                    }
                    if (topic.IsNobody() && !viaMember && _hub is not null && _memberTopics.TryGetOwner(route.PayloadId, Now, out var owner))
                        owner.Tell(ViaMember(route.Frame));
                    // Conditions routed here answer an ask taken here, for a topic of this member's (another member's is
                    // known above): none waits for them, so a hub member does not publish them (that would spend the peer's
                    // unplaced budget). Announcing, those for a topic that ended are handed back, so the peer asks the
                    // payload's next announcer now and does not judge this node (or hub) for a favour left undelivered.
                    else if (topic.IsNobody() && route.Frame.Frame is FavourConditions)
                    {
                        if (_settings.Dissemination == Dissemination.Announce) SendTo(route.Frame.Peer, new FavourDeclined(route.PayloadId));
                        else Log.Debug("Conditions from {0} for payload {1} this node no longer tracks", PeerConnection.Short(route.Frame.Peer), route.PayloadId);
                    }
                    else if (topic.IsNobody() && !viaMember && _hub?.Mediator is not null)
                    {
                        // An Ack the deliveries here took (the effect before this one) is placed already.
                        if (route.Frame.Frame is not Ack || _deliveries?.ContainsKey(route.PayloadId) != true) Carry(_router.Unplaced(route.Frame, Now), viaMember);
                    }
                    else if (topic.IsNobody())
                        Log.Debug("{0} from {1} for payload {2} this node no longer tracks", route.Frame.Frame.Name, PeerConnection.Short(route.Frame.Peer), route.PayloadId);
                    else
                        topic.Forward(route.Frame);
                    break;
                case ToOtherMembers other when !viaMember:
                    PlaceWithOwner(other.Frame);
                    break;
                case ToDeliveries route when _deliveries is not null && _deliveries.TryGetValue(route.PayloadId, out var deliveries):
                    foreach (var delivery in deliveries) delivery.Forward(route.Frame);
                    break;
                case AnnounceArrival arrival:
                    if (_arrivalSubscribers is not null) foreach (var s in _arrivalSubscribers) s.Tell(arrival.Arrival);
                    break;
                case IssueFavourInvoice issue: _settlement.Tell(issue.Command); break;
                case WatchFavourInvoice watch: _settlement.Tell(new WatchPayment(watch.PaymentHash, Self)); break;
                case SettleFavourInvoice settle:
                    _settlingFavours.Add(settle.PaymentHash, settle.PriceMsat);
                    _settlement.Tell(settle.Command);
                    break;
                case CancelFavourInvoice cancel: _settlement.Tell(cancel.Command); break;
                case Note note: Log.Warning(note.Text); break;
            }
        }
    }

    /// <summary>Announce dissemination: wakes up when the earliest favour granted for an announcement is overdue.</summary>
    private void ScheduleDeliveries()
    {
        if (_router.NextDeliveryDeadline is not { } at || (_deliveriesDueAt is { } scheduled && scheduled <= at)) return;
        _deliveriesDueAt = at;
        var now = Now;
        Timers.StartSingleTimer("deliveries-due", DeliveriesDue.Instance, at > now ? at - now : TimeSpan.Zero);
    }

    private sealed record DeliveriesDue
    {
        public static readonly DeliveriesDue Instance = new();
    }

    private void StartTopic(AcceptTopic accept)
    {
        var payload = accept.Broadcast.SignedRequest.Payload;
        // The first peers are chosen now, not by a round trip from the new topic to this guardian.
        var first = accept.Broadcast.HopsRemaining > 0 ? Choose([accept.Source], FirstAsks, payload.PayloadId) : PeersChosen.None;
        Context.ActorOf(TopicActor.ForBroadcast(_settings, _clock, Self, _settlement, _pow, accept.Broadcast, accept.Source, accept.Earned, accept.Onward, first), TopicActor.NameFor(payload.PayloadId));
    }

    // ------------------------------------------------------------------ a hub's members relay each topic once

    /// <summary>A member relays an accepted topic only once the hub says it is the first to claim it.</summary>
    private void Claim(AcceptTopic accept)
    {
        var hub = _hub!;
        var payload = accept.Broadcast.SignedRequest.Payload;
        if (!_claims.TryAdd(payload.PayloadId, accept))
        {
            _router.TopicEnded([]);
            Log.Warning("payload {0} not relayed: {1} claims wait for the hub's answer already", payload.PayloadId, _claims.Count);
            return;
        }
        SendClaim(accept, attempt: 1);
    }

    private void SendClaim(AcceptTopic accept, int attempt)
    {
        var hub = _hub!;
        var payload = accept.Broadcast.SignedRequest.Payload;
        hub.TopicClaims.Tell(new ClaimTopic(payload.PayloadId, new TopicOwner(hub.Member, accept.Source.ToHex()), payload.ExpiresAt), Self);
        Timers.StartSingleTimer(ClaimTimer(payload.PayloadId), new ClaimOverdue(payload.PayloadId, attempt), hub.ClaimTimeout);
    }

    /// <summary>No answer yet: claim again (a retry by the owner is granted again), until the attempts or the topic run out.</summary>
    private void OnClaimOverdue(ClaimOverdue overdue)
    {
        if (_claims.TryGetValue(overdue.PayloadId, out var accept) && overdue.Attempt < _hub!.ClaimAttempts
            && accept.Broadcast.SignedRequest.Payload.ExpiresAt > Now)
        {
            Log.Info("payload {0}: the hub did not answer its claim within {1}, claiming again ({2} of {3})",
                overdue.PayloadId, _hub.ClaimTimeout, overdue.Attempt + 1, _hub.ClaimAttempts);
            SendClaim(accept, overdue.Attempt + 1);
            return;
        }
        ClaimLost(overdue.PayloadId, "none");
    }

    private void OnTopicClaimed(TopicClaimed claimed)
    {
        // Also the answer to an own topic's claim, and to a claim that timed out here: then nothing waits.
        if (!_claims.TryTake(claimed.PayloadId, out var accept)) return;
        Timers.Cancel(ClaimTimer(claimed.PayloadId));
        StartTopic(accept);
    }

    private static string ClaimTimer(PayloadId payloadId) => "claim-" + payloadId;

    private void ClaimLost(PayloadId payloadId, string owner)
    {
        if (!_claims.TryTake(payloadId, out _)) return;
        Timers.Cancel(ClaimTimer(payloadId));
        _router.TopicEnded([]);
        _settings.Observer.TopicClaimLost(_settings.Identity.PublicKey, payloadId, owner, Now);
        if (owner == "none") Log.Warning("payload {0} not relayed: the hub did not answer {1} claims within {2} each", payloadId, _hub!.ClaimAttempts, _hub.ClaimTimeout);
        else Log.Info("payload {0} not relayed here: hub member {1} claimed it first", payloadId, owner);
    }

    /// <summary>The router's maps and the guardian's own, by name: every one is bounded, and this shows how full.</summary>
    private IReadOnlyDictionary<string, int> MapSizes()
    {
        var sizes = new SortedDictionary<string, int>(_router.MapSizes().ToDictionary())
        {
            ["connections"] = _connections.Count,
            ["direct-links"] = _direct.Count,
            ["direct-pending"] = _pendingDirect?.Count ?? 0,
            ["deliveries"] = _deliveries?.Count ?? 0,
            ["hub-claims-pending"] = _claims.Count,
            ["hub-member-topics"] = _memberTopics.Count,
            ["hub-peers"] = _hubPeers.Count,
            ["link-holders"] = _linkHolders.Count,
            ["frames-awaiting-link"] = _awaitingLink.Count,
            ["pow-queue"] = _pow.Queue.Count,
            ["settled-topics"] = _settledTopics.Count,
            ["settling-topics"] = _settling.Count,
            ["scores"] = _scores.Count,
            ["peer-choice"] = _peerChoice.Count,
            ["score-prefixes"] = _scores.PrefixCount,
        };
        return sizes;
    }

    // ------------------------------------------------------------------ a hub's members reach each other's peers

    /// <summary>
    /// This member's link carried another member's ask or broadcast: the peer's conditions for that ask, and its replies
    /// and ThankYous for that topic, are forwarded to the member that sent it (the sender), whose topic waits for them.
    /// </summary>
    private void OnDeliveredForMember(DeliveredForMember delivered)
    {
        var owner = Sender;
        if (_hub is null || owner.Equals(Self) || owner.IsNobody()) return;
        var now = Now;
        switch (delivered.Frame)
        {
            case AskForFavour ask:
                var payload = ask.SignedRequest.Payload;
                _router.RegisterAsk(ask.AskId, payload.PayloadId, now);
                _memberTopics.Learn(payload.PayloadId, owner, payload.ExpiresAt + _settings.ReplyInvoiceExpiry, now);
                break;
            case TopicAnnouncement announcement:
                _router.RegisterAsk(announcement.AskId, announcement.PayloadId, now);
                _memberTopics.Learn(announcement.PayloadId, owner, now + _settings.FavourValidity + _settings.ReplyInvoiceExpiry, now);
                break;
            case Broadcast broadcast:
                var broadcastPayload = broadcast.SignedRequest.Payload;
                _memberTopics.Learn(broadcastPayload.PayloadId, owner, broadcastPayload.ExpiresAt + _settings.ReplyInvoiceExpiry, now);
                break;
        }
    }

    private static Cluster.Peers.FrameViaMember ViaMember(FrameReceived received) =>
        new(received.Peer, received.Frame, received.PeerLightningNode is { } node ? Bytes.Copy(node.ToBytes()) : null);

    /// <summary>
    /// A peer's answer this member has no ask, topic or known owner for: the peer may have been asked by another member
    /// before it redialled here. Published to every member (never sent to a member the peer names: it names none); each
    /// takes it only for an ask or topic of its own that asked or broadcast to this very peer. Costs one copy per member,
    /// so the router lets through only the peer's budget of them (<see cref="NodeRouter.Unplaced"/>).
    /// </summary>
    private void OfferToOtherMembers(Cluster.Peers.FrameViaMember answer)
    {
        if (_hub?.Mediator is not { } mediator)
        {
            Log.Debug("{0} from {1} for an ask or topic this node does not track", answer.Frame.Name, PeerConnection.Short(answer.Peer));
            return;
        }
        mediator.Tell(new Akka.Cluster.Tools.PublishSubscribe.Publish(Cluster.Peers.FrameViaMember.UnplacedTopic, answer), Self);
    }

    /// <summary>
    /// An answer that names its payload goes to that payload's claim entity, which hands it to the claiming member only;
    /// one it cannot hand on (nothing claimed, or the owner unknown after a hand-over) comes back as
    /// <see cref="AnswerNotPlaced"/> and is offered to every member as before. Conditions name only an ask, whose id
    /// names the asking member (<see cref="MemberAsks"/>): they go to that member's topic alone.
    /// </summary>
    private void PlaceWithOwner(FrameReceived received)
    {
        if (_hub is not null && Observation.FramePayload.Of(received.Frame) is { } payloadId)
            _hub.TopicClaims.Tell(new PlaceAnswer(payloadId, ViaMember(received)), Self);
        else if (_hub?.Mediator is { } mediator && _memberAsks is not null && received.Frame is FavourConditions conditions)
        {
            var tag = _memberAsks.TagOf(conditions.AskId);
            // This member's own tag: an ask it no longer tracks (expired) or one never sent; no other member has it.
            if (tag == _memberAsks.Tag)
                Log.Debug("conditions from {0} for ask {1}, which this member does not track", PeerConnection.Short(received.Peer), conditions.AskId);
            else
                mediator.Tell(new Akka.Cluster.Tools.PublishSubscribe.Publish(Cluster.Peers.MemberTopic.Of(tag), ViaMember(received)), Self);
        }
        else
            OfferToOtherMembers(ViaMember(received));
    }

    /// <summary>Another member forwards what a peer linked there sent for a topic of this member's.</summary>
    private void OnFrameViaMember(Cluster.Peers.FrameViaMember via)
    {
        // Its own offer to the other members comes back to it too: it has looked already.
        if (_hub is null || Sender.Equals(Self)) return;
        LightningNodeId? payee = via.PeerLightningNode is { } bytes && LightningNodeId.TryFromBytes(bytes.Span, out var node) ? node : null;
        Carry(_router.OnFrameViaMember(new FrameReceived(via.Peer, via.Frame) { PeerLightningNode = payee, ViaMember = true }, Now), viaMember: true);
    }

    // ------------------------------------------------------------------ peers and links

    private void OnChoosePeers(ChoosePeers choose) => Sender.Tell(Choose(choose.Exclude, choose.Count, choose.PayloadId));

    /// <summary>Up to <paramref name="count"/> linked peers for a topic's asks, each with its connection and a registered ask id.</summary>
    private PeersChosen Choose(IReadOnlyCollection<PublicKey> exclude, int count, PayloadId payloadId)
    {
        var now = Now;
        var chosen = new List<ChosenPeer>(count);
        // A hub member chooses uniformly among every member's peers; a plain node ranks its own links (PeerChoice).
        // Extra asks stay within the topic's ask budget (exclude holds its asked peers and its source).
        var room = Math.Max(0, _settings.MaxAsksPerTopic - exclude.Count - count);
        // A peer that offered this payload holds it: an ask to it would go unanswered until ask-timeout.
        var offerers = _router.OfferersOf(payloadId);
        if (offerers.Count > 0) exclude = new HashSet<PublicKey>(exclude.Concat(offerers));
        var peers = _hub is null
            ? _peerChoice.Choose(exclude, count, room)
            : _router.ChoosePeers(exclude, count, _hubPeers);
        foreach (var peer in peers)
        {
            // A peer another member links to: the topic sends to it through this guardian (and the peer-link registry).
            if (!_connections.TryGetValue(peer, out var connection))
            {
                if (_hub is null) continue;
                connection = Self;
            }
            else
                _linkHolders.Handed(peer, payloadId);
            var ask = _memberAsks?.Tagged(_settings.Entropy.NewId()) ?? new AskId(_settings.Entropy.NewId());
            _router.RegisterAsk(ask, payloadId, now);
            chosen.Add(new ChosenPeer(peer, connection, ask));
        }
        return new PeersChosen(chosen);
    }

    private void OnPeerConnected(PeerConnected c)
    {
        if (c.Peer.Equals(_settings.Identity.PublicKey))
        {
            c.Connection.Tell(new DropPeer("connected to itself"));
            return;
        }
        if (_connections.TryGetValue(c.Peer, out var earlier) && !earlier.Equals(c.Connection))
        {
            (_replaced ??= [])[c.Peer] = earlier;
            LinkClosed(c.Peer, earlier);
        }
        _connections[c.Peer] = c.Connection;
        _connections.TrimExcess(); // as the router's peer table: no room for twice the links (never enumerated)
        // Any member of a hub can then send to this peer (the registry unregisters the link when its actor stops).
        _hub?.PeerLinks.Tell(new Cluster.Peers.RegisterPeerLink(c.Peer, c.Connection));
        Carry(_router.PeerUp(c.Peer));
        if (_router.IsLinked(c.Peer)) _peerChoice.Linked(c.Peer, c.Dialled);
        FlushDirect(c.Peer);
        foreach (var frame in _awaitingLink.Take(c.Peer)) SendTo(c.Peer, frame);
    }

    private void OnPeerDisconnected(PeerDisconnected d)
    {
        PeerLinkEnded(d);
        // Every AwaitReleases for this link went out before this (LinkClosed, now or when a newer link replaced it).
        Sender.Tell(DrainLink.Instance);
    }

    private void PeerLinkEnded(PeerDisconnected d)
    {
        // A link replaced by a newer one reports its end after the newer one came up: only the current one counts.
        if (_replaced is not null && _replaced.TryGetValue(d.Peer, out var replaced) && replaced.Equals(Sender))
        {
            _replaced.Remove(d.Peer);
            return;
        }
        if (!_connections.TryGetValue(d.Peer, out var connection) || !connection.Equals(Sender)) return;
        // The newer link was the one the transport closed: the one it replaced is the peer's link again.
        LinkClosed(d.Peer, connection);
        if (_replaced is not null && _replaced.Remove(d.Peer, out var kept))
        {
            _connections[d.Peer] = kept;
            _hub?.PeerLinks.Tell(new Cluster.Peers.RegisterPeerLink(d.Peer, kept));
            return;
        }
        _connections.Remove(d.Peer);
        _hub?.PeerLinks.Tell(new Cluster.Peers.UnregisterPeerLink(d.Peer, connection));
        _router.PeerDown(d.Peer);
        _peerChoice.Unlinked(d.Peer);
    }

    /// <summary>
    /// The topics handed this peer's link send through this guardian from now on: the peer may redial (to this node, or
    /// this member) before their broadcast, and a frame sent to the closed link would be lost.
    /// </summary>
    private void LinkClosed(PublicKey peer, IActorRef link)
    {
        List<IActorRef>? holders = null;
        foreach (var payloadId in _linkHolders.Take(peer))
        {
            var topic = Context.Child(TopicActor.NameFor(payloadId));
            if (!topic.IsNobody()) (holders ??= []).Add(topic);
        }
        if (holders is null) return;
        // The link waits for each topic's LinkReleased (or its end) before it stops: frames a topic sent it before hearing
        // this come back here (FrameReturned). Named first, so a release never comes before its name.
        link.Tell(new AwaitReleases(holders));
        foreach (var topic in holders) topic.Tell(new PeerLinkClosed(peer, link));
    }

    /// <summary>
    /// A frame a closed link did not send: it goes on the peer's current link, through the hub's registry, or waits here
    /// (bounded, link-drain.hold-for) for the peer's next link. Never to the link that returned it.
    /// </summary>
    private void OnFrameReturned(FrameReturned returned)
    {
        if (_connections.TryGetValue(returned.Peer, out var current) && !current.Equals(Sender))
        {
            current.Tell(SendFrame.Observed(_settings, _clock, returned.Peer, returned.Frame));
            return;
        }
        if (_hub is not null)
        {
            _hub.PeerLinks.Tell(new Cluster.Peers.SendToPeer(returned.Peer, returned.Frame), Self);
            return;
        }
        HoldForNextLink(returned.Peer, returned.Frame);
    }

    /// <summary>A frame for a peer with no link here (a plain node): held for its next link, bounded, link-drain.hold-for.</summary>
    private void HoldForNextLink(PublicKey peer, Frame frame)
    {
        if (!_awaitingLink.TryHold(peer, frame, Now + _settings.LinkDrainHoldFor))
        {
            Log.Debug("no link to {0}: dropped {1} ({2} frames held for peers' next links already; link-drain.hold-frames {3}, hold-frames-per-peer {4})",
                PeerConnection.Short(peer), frame.Name, _awaitingLink.Count, _settings.LinkDrainHoldFrames, _settings.LinkDrainHoldFramesPerPeer);
            return;
        }
        ScheduleAwaitingLinkDue();
    }

    private void OnAwaitingLinkDue()
    {
        var dropped = _awaitingLink.DropExpired(Now);
        if (dropped > 0) Log.Debug("{0} frame(s) held for peers' next links dropped: no new link within {1}", dropped, _settings.LinkDrainHoldFor);
        ScheduleAwaitingLinkDue();
    }

    private void ScheduleAwaitingLinkDue()
    {
        if (_awaitingLink.Earliest is not { } at || Timers.IsTimerActive("awaiting-link-due")) return;
        var now = Now;
        Timers.StartSingleTimer("awaiting-link-due", AwaitingLinkDue.Instance, at > now ? at - now : TimeSpan.Zero);
    }

    private sealed record AwaitingLinkDue
    {
        public static readonly AwaitingLinkDue Instance = new();
    }

    private void SendTo(PublicKey peer, Frame frame)
    {
        if (_connections.TryGetValue(peer, out var connection))
            connection.Tell(SendFrame.Observed(_settings, _clock, peer, frame));
        else if (_hub is not null)
            _hub.PeerLinks.Tell(new Cluster.Peers.SendToPeer(peer, frame), Self); // another member may hold the link
        else
            HoldForNextLink(peer, frame); // the peer may be redialling: its old link closed, its new one is not up yet
    }

    /// <summary>
    /// Records the judgement in the node's score book now, not by a message to the peer's connection: the book is what the
    /// connection (before each frame) and the router (for each frame already on its way) check, so the penalty counts
    /// before the peer's next frame is handled. The connection is told to log it and to drop the link if the peer is banned.
    /// </summary>
    /// <param name="judgedByMember">Judged by another member of the hub, which sent it here for this link: not sent on again.</param>
    private void Report(PublicKey peer, PeerBehaviour behaviour, string detail, bool judgedByMember = false)
    {
        var judgement = _scores.Record(peer, behaviour, Now);
        _peerChoice.Scored(peer, judgement.Score);
        if (judgement.PrefixBanned is { } banned) Log.Warning("peer {0}: {1}", PeerConnection.Short(peer), banned);
        if (_connections.TryGetValue(peer, out var connection))
        {
            connection.Tell(new ReportBehaviour(behaviour, detail) { Score = judgement.Score });
            return;
        }
        // A hub member judging a peer another member links to: that member's book is the one that disconnects and bans it.
        if (_hub is not null && !judgedByMember && _settings.Scoring.Weight(behaviour) != 0)
            _hub.PeerLinks.Tell(new Cluster.Peers.PeerJudgedByMember(peer, behaviour, detail));
        if (_settings.Scoring.Weight(behaviour) < 0)
            Log.Warning("peer {0} (no link): {1}: {2} (score {3:0.#})", PeerConnection.Short(peer), behaviour, detail, judgement.Score);
    }

    private void OnSendDirect(SendDirect s)
    {
        if (s.Peer is { } known && _connections.ContainsKey(known))
        {
            SendTo(known, s.Frame);
            return;
        }
        if (_direct.TryGetValue(s.Address, out var peer) && _connections.ContainsKey(peer))
        {
            SendTo(peer, s.Frame);
            return;
        }
        _pendingDirect ??= [];
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
        if (_pendingDirect is null || !_connections.ContainsKey(peer)) return;
        foreach (var address in _direct.Where(d => d.Value.Equals(peer)).Select(d => d.Key).ToList())
            if (_pendingDirect.Remove(address, out var frames))
                foreach (var frame in frames) SendTo(peer, frame);
    }

    // ------------------------------------------------------------------ topics and replies of this node

    private void OnOriginate(OriginateTopic originate)
    {
        var (request, effects) = _router.Originate(originate, Now);
        Carry(effects);
        Sender.Tell(new TopicOriginated(request.Payload.PayloadId, request));
    }

    private void OnSubscribeReplies(SubscribeReplies subscribe)
    {
        (_replySubscribers ??= []).Add(subscribe.Subscriber);
        if (subscribe.IncludeArrivals) (_arrivalSubscribers ??= []).Add(subscribe.Subscriber);
        Context.Watch(subscribe.Subscriber);
    }

    /// <summary>A bought reply is paid (now, or before a restart): one delivery opens, validates and delivers it.</summary>
    private void OnReplyPaid(ReplyPaid paid)
    {
        var reply = paid.Purchase.Reply;
        var name = ReplyDelivery.NameFor(reply);
        if (!Context.Child(name).IsNobody()) return;
        var delivery = Context.ActorOf(ReplyDelivery.Props(Self, _settlement, paid, _settings.ValidateTimeout), name);
        Context.Watch(delivery);
        _deliveries ??= [];
        if (!_deliveries.TryGetValue(reply.PayloadId, out var list)) _deliveries[reply.PayloadId] = list = [];
        list.Add(delivery);
    }

    /// <summary>
    /// A relayed topic's relay phase is over: its record is kept, and the topic is told to stop once it has handed back the
    /// frames already in its mailbox. Until its Terminated, Replies that would revive it wait here (<see cref="SettlingTopics"/>):
    /// routed by name they would reach the stopping actor and be lost. Other frames are handled as for a settled topic.
    /// </summary>
    private void OnTopicSettled(TopicSettled settled)
    {
        _settledTopics.Add(settled.Topic, Now);
        // Only from the topic actor itself (a record told by anyone else has no actor to wait for).
        if (!Sender.Equals(Context.Child(TopicActor.NameFor(settled.Topic.PayloadId)))) return;
        _settling.Began(settled.Topic, Sender);
        Context.Watch(Sender);
        Sender.Tell(StopSettledTopic.Instance);
    }

    // Peers can cause it (more replies than a topic takes): not a warning.
    private void RepliesPastBound(PayloadId payloadId, FrameReceived frame) =>
        Log.Debug("Reply from {0} for settling payload {1} dropped: {2} replies wait for it already", PeerConnection.Short(frame.Peer), payloadId, _settings.MaxRepliesPerTopic);

    private void OnTerminated(IActorRef actor)
    {
        // Watched only while settling (Akka queues Terminated behind the frames the topic handed back before it stopped).
        if (_settling.TryEnd(actor, out var frames))
        {
            foreach (var held in frames) Carry([held.Route], held.ViaMember);
            return;
        }
        _replySubscribers?.Remove(actor);
        _arrivalSubscribers?.Remove(actor);
        if (_deliveries is null) return;
        foreach (var (payloadId, list) in _deliveries.Where(d => d.Value.Contains(actor)).ToList())
            if (list.Remove(actor) && list.Count == 0) _deliveries.Remove(payloadId);
    }
}
