using Akka.Actor;
using Akka.Event;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Pow;
using SweetGossip.Node.Replies;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Node.Topics;

/// <summary>
/// One topic in flight at this node: originated here, or accepted from a peer. It takes the job (spawns the
/// replier) or passes it on: asks chosen peers for favours, pays each favour (PoW or sats) within what the topic
/// earned (<see cref="TopicAsks"/>), asks another peer when conditions are too hard or too dear, and broadcasts.
/// Replies come back here, only from peers it broadcast to (<see cref="TopicReplies"/>), and each gets its own
/// pending-reply actor; ThankYous and unpaid replies are judged here. Lives until the request expires, unless it is a
/// relay whose relay phase is over with no reply yet: then it leaves a <see cref="SettledTopic"/> with its node and
/// stops, and a later reply starts it again from that record (<see cref="ForSettled"/>).
/// </summary>
public sealed class TopicActor : UntypedActor, IWithTimers
{
    private readonly NodeSettings _settings;
    private readonly TimeProvider _clock;
    private readonly IActorRef _node;
    private readonly IActorRef _settlement;
    private readonly PowPool _pow;
    // Null in a topic started again from its settled record: it takes replies, it asks and broadcasts no more.
    private readonly SignedRequestPayload? _request;
    private readonly PayloadId _payloadId;
    private readonly DateTimeOffset _expiresAt;
    private readonly bool _fromSettled;
    private bool _settled;
    private bool _replier;
    // Work that still answers to this topic: a ChoosePeers round trip to the guardian, favour payments under way.
    private bool _choosing;
    private int _paying;
    private readonly PublicKey? _source;
    private readonly PrivateKey? _replyKey;
    private readonly int _outgoingHops;
    private readonly ulong _outgoingPathFee;
    private readonly bool _mayRelay;
    private readonly TopicAsks _asks;
    private readonly TopicReplies _replies;
    // Made when first used: most topics never log, and an adapter per topic (its source is the actor's path) is a relay's CPU.
    private ILoggingAdapter? _logger;
    // Every job sent to the PoW workers stops when the topic does.
    private readonly CancellationTokenSource _stopping = new();
    // Jobs at the workers, each cancelled on its own when given up before its deadline; made when first used.
    private Dictionary<FavourId, CancellationTokenSource>? _powJobs;
    private bool _replyPaid;
    // The links this topic's asks went out on: its broadcasts follow them straight there.
    private readonly Dictionary<PublicKey, IActorRef> _links = [];
    private readonly HashSet<PublicKey> _broadcastTo = [];
    // The peers the guardian chose when it started this topic; their asks are registered there already.
    private readonly PeersChosen _first;
    private bool _firstUsed;
    // Announce dissemination (D24): an announcement instead of an ask, to every peer; peers that said they already
    // have the payload (AlreadyHave) get no broadcast from a favour still being worked on.
    private readonly bool _announce;
    private readonly HashSet<PublicKey> _alreadyHave = [];

    public TopicActor(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, PowPool pow,
        SignedRequestPayload request, PublicKey? source, PrivateKey? replyKey, int outgoingHops, ulong outgoingPathFee, bool mayRelay, SpendAllowance allowance, PeersChosen first)
        : this(settings, clock, node, settlement, pow, request, request.Payload.PayloadId, request.Payload.ExpiresAt, source, replyKey, outgoingHops, outgoingPathFee, mayRelay, allowance, first)
    {
    }

    /// <summary>A relayed topic started again from its settled record, for a reply: it only takes and judges replies.</summary>
    public TopicActor(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, PowPool pow, SettledTopic settled)
        : this(settings, clock, node, settlement, pow, null, settled.PayloadId, settled.Until - settings.ReplyInvoiceExpiry, settled.Source, null, 0, 0, false, SpendAllowance.Unlimited(), PeersChosen.None)
    {
        _fromSettled = true;
        _firstUsed = true;
        _broadcastTo.UnionWith(settled.BroadcastTo);
    }

    private TopicActor(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, PowPool pow,
        SignedRequestPayload? request, PayloadId payloadId, DateTimeOffset expiresAt, PublicKey? source, PrivateKey? replyKey, int outgoingHops, ulong outgoingPathFee, bool mayRelay, SpendAllowance allowance, PeersChosen first)
    {
        _first = first;
        (_settings, _clock, _node, _settlement, _pow) = (settings, clock, node, settlement, pow);
        (_request, _payloadId, _expiresAt) = (request, payloadId, expiresAt);
        (_source, _replyKey, _outgoingHops, _outgoingPathFee, _mayRelay) = (source, replyKey, outgoingHops, outgoingPathFee, mayRelay);
        _announce = settings.Dissemination == Dissemination.Announce;
        // Announcing, every peer (up to max-asks-per-topic) is asked: only those without the payload answer.
        _asks = new TopicAsks(_announce ? settings.MaxAsksPerTopic : settings.Fanout, settings.MaxAsksPerTopic, _announce ? settings.AnnounceAskTimeout : settings.AskTimeout, settings.MaxAcceptedDifficultyBits, settings.MaxFavourPriceMsat, allowance);
        _replies = new TopicReplies(source, settings.MaxRepliesPerTopic, settings.ThankYouTimeout);
    }

    // An untyped actor: one is started per topic, and a receive actor builds its handlers again for every instance
    protected override void OnReceive(object message)
    {
        // A peer's frame that came through another member of a hub: the peer redialled there, so the link its ask went out
        // on may be closed; what this topic sends the peer goes through the guardian (and the hub's registry) from now on.
        if (message is FrameReceived { ViaMember: true } received) _links.Remove(received.Peer);
        switch (message)
        {
            case PeersChosen chosen:
                _choosing = false;
                OnPeersChosen(chosen);
                SettleIfDone();
                break;
            case FrameReceived { Frame: FavourConditions conditions } f:
                OnConditions(f, conditions);
                SettleIfDone();
                break;
            case PowSolved solved:
                if (EndJob((PowJob)solved.Correlation)) OnPowSolved(solved);
                SettleIfDone();
                break;
            case PowAbandoned abandoned:
                if (EndJob((PowJob)abandoned.Correlation)) OnPowAbandoned(abandoned);
                SettleIfDone();
                break;
            case PowGiveUp giveUp:
                if (EndJob(giveUp.Job)) OnPowAbandoned(new PowAbandoned(giveUp.Job, $"not done {_settings.PowDeclineMargin} before its favour's deadline"));
                SettleIfDone();
                break;
            case FavourPaid paid:
                _paying--;
                OnFavourPaid(paid);
                SettleIfDone();
                break;
            case FrameReceived { Frame: Reply reply } f:
                OnReply(f, reply);
                break;
            case FrameReceived { Frame: ThankYou thanks } f:
                Judge(_replies.OnThankYou(f.Peer, thanks));
                break;
            case FrameReceived { Frame: AlreadyHave } f:
                OnAlreadyHave(f.Peer);
                break;
            case FrameReceived { Frame: Validate or Ack } f:
                // In name order: Akka keeps children in a map hashed per process, so its order would change from run to run.
                foreach (var child in Context.GetChildren().OrderBy(c => c.Path.Name, StringComparer.Ordinal)) child.Forward(f);
                break;
            case ReplyPaidDownstream p:
                _replies.DownstreamPaid(p.PaymentHash, Now);
                ScheduleDeadline();
                break;
            case ReplyRelayEnded e:
                Judge(_replies.RelayEnded(e.PaymentHash, e.UpstreamPaid));
                break;
            case Deadline:
                OnDeadline();
                SettleIfDone();
                break;
            case OriginatorReply.WantToPay:
                Sender.Tell(_replyPaid ? OriginatorReply.PayDenied.Instance : OriginatorReply.PayGranted.Instance);
                _replyPaid = true;
                break;
            case PeerLinkClosed closed:
                // Only the link that closed: a newer one handed to this topic since stays.
                if (_links.TryGetValue(closed.Peer, out var link) && link.Equals(closed.Link)) _links.Remove(closed.Peer);
                // Nothing more goes there from here: the closed link, which hands back what it got before, may stop.
                closed.Link.Tell(LinkReleased.Instance);
                break;
            case ReceiveTimeout:
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private ILoggingAdapter Log => _logger ??= Context.GetLogger();

    private DateTimeOffset Now => _clock.GetUtcNow();

    private SignedRequestPayload Request => _request ?? throw new InvalidOperationException($"topic {_payloadId} was started from its settled record: it asks and broadcasts no more");

    // One string made in place, not the id's and then the joined one: a name is made for every frame routed to a topic.
    public static string NameFor(PayloadId id) => string.Create(NamePrefix.Length + 32, id.Value, static (name, value) =>
    {
        NamePrefix.CopyTo(name);
        value.TryFormat(name[NamePrefix.Length..], out _, "N");
    });

    private const string NamePrefix = "topic-";

    /// <summary>A topic this node originates: its own, so what it spends is bounded only by the difficulty and price caps.</summary>
    /// <param name="onward">hops_remaining and path_fee_msat to send it with (the originator's cover).</param>
    public static Props ForOrigin(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, PowPool pow, SignedRequestPayload request, PrivateKey replyKey,
        (int Hops, ulong PathFeeMsat) onward, PeersChosen? first = null) =>
        ActorFactory.Props(() => new TopicActor(settings, clock, node, settlement, pow, request, null, replyKey, onward.Hops, onward.PathFeeMsat, true, SpendAllowance.Unlimited(), first ?? PeersChosen.None));

    /// <summary>A topic accepted from <paramref name="source"/>'s broadcast, which earned this node <paramref name="earned"/>.</summary>
    /// <param name="onward">hops_remaining and path_fee_msat to pass it on with.</param>
    public static Props ForBroadcast(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, PowPool pow, Broadcast broadcast, PublicKey source, TopicEarnings earned,
        (int Hops, ulong PathFeeMsat) onward, PeersChosen? first = null) =>
        ActorFactory.Props(() => new TopicActor(settings, clock, node, settlement, pow, broadcast.SignedRequest, source, null,
            onward.Hops, onward.PathFeeMsat, broadcast.HopsRemaining > 0,
            SpendAllowance.For(earned, settings.Dissemination == Dissemination.Announce ? settings.AnnounceSpendMultiple : settings.SpendMultiple), first ?? PeersChosen.None));

    /// <summary>A relayed topic's actor started again from its <paramref name="settled"/> record, to take a reply that came for it.</summary>
    public static Props ForSettled(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, PowPool pow, SettledTopic settled) =>
        ActorFactory.Props(() => new TopicActor(settings, clock, node, settlement, pow, settled));

    protected override void PreStart()
    {
        var now = Now;
        // Stay only as long as the request lives (plus time for the reply's payment to finish).
        var lifetime = _expiresAt - now + _settings.ReplyInvoiceExpiry;
        Timers.StartSingleTimer("lifetime", ReceiveTimeout.Instance, lifetime > TimeSpan.Zero ? lifetime : TimeSpan.Zero);
        if (_fromSettled) return;

        if (_source is { } source && _settings.ReplyPolicy.Decide(Request.Payload.Topic, now) is { } offer)
        {
            // The whitepaper: a peer interested in the job becomes the replier instead of relaying.
            _replier = true;
            Context.ActorOf(ReplierReply.Props(_settings, _clock, _node, _settlement, Request, source, offer), "replier");
            return;
        }
        // A node always sends its own topics; others' while hops remain.
        if (_mayRelay) AskMorePeers();
        SettleIfDone();
    }

    /// <summary>
    /// A relay whose relay phase is over (no ask waiting for conditions, no favour being worked on or paid, no peers
    /// being chosen) and that has taken no reply stops, leaving a <see cref="SettledTopic"/> with its node: most topics
    /// a node relays never see a reply, and a live actor per topic until the reply invoice expires is most of a node's
    /// memory. Conditions arriving late for an ask that timed out find no topic then and are dropped (a live topic would
    /// still have taken them). A node's own topics, repliers and topics with replies stay until their lifetime ends.
    /// </summary>
    private void SettleIfDone()
    {
        if (_settled || _fromSettled || _source is not { } source || _replier || _choosing || _paying > 0 || _replies.Count > 0 || !_asks.Settled) return;
        _settled = true;
        _node.Tell(new TopicSettled(new SettledTopic(_payloadId, _expiresAt + _settings.ReplyInvoiceExpiry, source, [.. _broadcastTo])));
        // Not stopped yet: a frame the guardian routed here before it heard of the record would die in this mailbox.
        Become(Settling);
    }

    /// <summary>
    /// Settled, waiting for the guardian's <see cref="StopSettledTopic"/>: frames that reach the topic now go back to the
    /// guardian, which routes them again once this actor has stopped (a Reply then revives the topic from its record).
    /// </summary>
    private void Settling(object message)
    {
        switch (message)
        {
            case FrameReceived f:
                _node.Tell(new FrameHandedBack(_payloadId, f));
                break;
            case StopSettledTopic or ReceiveTimeout:
                Context.Stop(Self);
                break;
            case PeerLinkClosed closed:
                // It sends nothing more: the closed link's connection need not wait for this topic to stop.
                closed.Link.Tell(LinkReleased.Instance);
                break;
            default:
                // Nothing is owed to a settled topic: no ask, proof or payment is open (that is what settled means).
                Log.Debug("settled topic {0} ignores {1}", _payloadId, message.GetType().Name);
                break;
        }
    }

    /// <summary>The first asks' ids, if this topic never sent them (it took the job itself): the guardian forgets their routes.</summary>
    private IEnumerable<AskId> UnusedFirstAsks => _firstUsed ? [] : _first.Peers.Select(p => p.AskId);

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        foreach (var cancel in _powJobs?.Values ?? Enumerable.Empty<CancellationTokenSource>()) cancel.Dispose();
        // Started again from its record, it was not counted as in flight and sent no asks.
        if (_fromSettled) return;
        // Settled, its asks' routes stay with the guardian until they expire: late conditions are dropped there, not blamed on the peer.
        _node.Tell(new TopicEnded(_payloadId, _settled ? [.. UnusedFirstAsks] : [.. _asks.AskIds, .. UnusedFirstAsks]));
    }

    // ------------------------------------------------------------------ asking for favours

    /// <summary>Asks as many peers not asked yet as favours are still missing, within the topic's ask budget.</summary>
    private void AskMorePeers()
    {
        var wanted = _asks.Wanted;
        if (wanted == 0) return;
        if (!_firstUsed && _first.Peers.Count > 0)
        {
            _firstUsed = true;
            OnPeersChosen(_first);
            return;
        }
        _firstUsed = true;
        var exclude = new HashSet<PublicKey>(_asks.AskedPeers);
        if (_source is { } source) exclude.Add(source);
        _choosing = true;
        _node.Tell(new ChoosePeers(exclude, wanted, _payloadId));
    }

    private void OnPeersChosen(PeersChosen chosen)
    {
        var now = Now;
        foreach (var peer in chosen.Peers)
        {
            _asks.Sent(peer.Peer, peer.AskId, now);
            Frame ask = _announce
                ? new TopicAnnouncement(peer.AskId, _payloadId, Request.PayloadHash, _outgoingHops)
                : new AskForFavour(peer.AskId, Request);
            // A hub member's guardian stands for a link another member holds: frames go through it.
            if (peer.Connection.Equals(_node))
            {
                _node.Tell(new SendToPeer(peer.Peer, ask));
                continue;
            }
            _links[peer.Peer] = peer.Connection;
            peer.Connection.Tell(SendFrame.Observed(_settings, _clock, peer.Peer, ask));
        }
        ScheduleDeadline();
    }

    /// <summary>Straight to the link the ask went out on; through the guardian if that link is not known here.</summary>
    private void SendTo(PublicKey peer, Frame frame)
    {
        if (_links.TryGetValue(peer, out var connection)) connection.Tell(SendFrame.Observed(_settings, _clock, peer, frame));
        else _node.Tell(new SendToPeer(peer, frame));
    }

    private void OnConditions(FrameReceived received, FavourConditions conditions)
    {
        var peer = received.Peer;
        // Started again from its record: the conditions answer an ask that timed out before the topic settled.
        if (_fromSettled) return;
        switch (_asks.OnConditions(peer, conditions, Now))
        {
            case AskDecision.Unasked unasked:
                _node.Tell(new ReportPeer(peer, PeerBehaviour.InvalidFrame, unasked.Reason));
                break;
            case AskDecision.Decline decline:
                Log.Info("declining {0}'s conditions for {1}: {2}; asking another peer", PeerConnection.Short(peer), _payloadId, decline.Reason);
                ReleaseFavour(peer);
                _links.Remove(peer);
                AskMorePeers();
                break;
            case AskDecision.SolvePow solve:
                Solve(peer, solve);
                break;
            case AskDecision.Pay pay:
                Pay(received, pay.Conditions);
                break;
        }
    }

    private void Solve(PublicKey peer, AskDecision.SolvePow solve)
    {
        var conditions = solve.Conditions;
        var challenge = FavourChallenge.For(conditions, Request.PayloadHash, peer).ComputeChallengeHash();
        var powJob = new PowJob(peer, conditions.FavourId, solve.ExpectedHashes);
        // Announcing, the grantor moves on to another announcer after its deliver-timeout and excuses a decline only before
        // then; a proof not done a margin before that is given up and declined, so a neighbour filling the workers with
        // hard proofs cannot get this node judged by honest grantors.
        var deadline = _announce && Now + _settings.DeliverTimeout is var turn && turn < conditions.ValidUntil ? turn : conditions.ValidUntil;
        var giveUpAt = deadline - _settings.PowDeclineMargin;
        if (conditions.DifficultyBits <= InlinePowBits)
        {
            OnPowSolved(PowWorker.Solve(new SolvePow(challenge, conditions.DifficultyBits, powJob) { Cancel = _stopping.Token })); // a few hashes: not worth a trip to the pool
            return;
        }
        if (_pow.Queue.TryEnter())
        {
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            (_powJobs ??= [])[conditions.FavourId] = cancel;
            Timers.StartSingleTimer(powJob, new PowGiveUp(powJob), giveUpAt > Now ? giveUpAt - Now : TimeSpan.Zero);
            _pow.Workers.Tell(new SolvePow(challenge, conditions.DifficultyBits, powJob) { Cancel = cancel.Token, Until = giveUpAt });
        }
        else
        {
            Log.Warning("declining {0}'s conditions for {1}: {2} proofs of work waiting already", PeerConnection.Short(peer), _payloadId, _pow.Queue.Capacity);
            _asks.Failed(peer, refundHashes: solve.ExpectedHashes);
            ReleaseFavour(peer);
        }
    }

    /// <summary>Up to this difficulty (≈ 2^6 = 64 hashes, tens of µs) a proof is solved in place.</summary>
    private const int InlinePowBits = 6;

    private void OnPowSolved(PowSolved solved)
    {
        var job = (PowJob)solved.Correlation;
        _settings.Observer.PowSolved(_settings.Identity.PublicKey, solved.HashesTried, Now);
        if (_alreadyHave.Contains(job.Peer))
        {
            _asks.Failed(job.Peer); // the work is done; nothing is refunded, and no copy is sent
            _links.Remove(job.Peer);
            return;
        }
        Broadcast(job.Peer, new Broadcast(job.FavourId, Request, new PowProof(solved.Nonce), _outgoingHops, _outgoingPathFee));
    }

    private void OnPowAbandoned(PowAbandoned abandoned)
    {
        var job = (PowJob)abandoned.Correlation;
        Log.Info("proof for {0}'s favour abandoned: {1}", PeerConnection.Short(job.Peer), abandoned.Reason);
        _asks.Failed(job.Peer, refundHashes: job.ExpectedHashes);
        ReleaseFavour(job.Peer);
        AskMorePeers();
    }

    /// <summary>Announcing, a favour this topic will not redeem is handed back, so its peer asks another announcer at once.</summary>
    private void ReleaseFavour(PublicKey peer)
    {
        if (_announce && !_alreadyHave.Contains(peer)) SendTo(peer, new FavourDeclined(_payloadId));
    }

    /// <summary>
    /// The peer received the payload elsewhere (GossipSub's IDONTWANT): a favour of its still being worked on sends no
    /// broadcast. Only from a peer this topic asked; anything else is ignored (it costs this node nothing).
    /// </summary>
    private void OnAlreadyHave(PublicKey peer)
    {
        if (!_asks.AskedPeers.Contains(peer) || _broadcastTo.Contains(peer)) return;
        _alreadyHave.Add(peer);
    }

    private void Pay(FrameReceived received, LightningFavourConditions conditions)
    {
        var peer = received.Peer;
        if (_alreadyHave.Contains(peer))
        {
            _asks.Failed(peer, refundMsat: conditions.PriceMsat); // nothing paid, no copy sent
            _links.Remove(peer);
            return;
        }
        if (received.PeerLightningNode is not { } payee)
        {
            _asks.Failed(peer, refundMsat: conditions.PriceMsat);
            ReleaseFavour(peer);
            _node.Tell(new ReportPeer(peer, PeerBehaviour.InvalidFrame, "asked to be paid over Lightning without announcing its Lightning node"));
            AskMorePeers();
            return;
        }
        // Settlement pays only an invoice for exactly the price, to the peer's own node, payable until the favour ends.
        var terms = new PaymentTerms(ExactAmountMsat: conditions.PriceMsat, Payee: payee, PayableUntil: conditions.ValidUntil);
        _paying++;
        Context.ActorOf(FavourPayment.Props(_settlement, new PayInvoice(conditions.Invoice, terms), peer, conditions.FavourId, conditions.PriceMsat, _settings.FavourValidity));
    }

    private void OnFavourPaid(FavourPaid paid)
    {
        if (paid.Completed is { Result.Succeeded: true } completed)
        {
            _settings.Observer.Payment(_settings.Identity.PublicKey, Observation.PaymentSide.FavourPaid, completed.Result.AmountMsat + completed.Result.FeeMsat, Now);
            if (_alreadyHave.Contains(paid.Peer))
            {
                _asks.Failed(paid.Peer); // it received the payload while we paid: the payment stands, no copy is sent
                _links.Remove(paid.Peer);
                return;
            }
            Broadcast(paid.Peer, new Broadcast(paid.FavourId, Request, new PaymentProof(completed.Result.Preimage!.Value), _outgoingHops, _outgoingPathFee));
            return;
        }
        _asks.Failed(paid.Peer, refundMsat: paid.MayStillPay ? 0 : paid.PriceMsat);
        ReleaseFavour(paid.Peer);
        if (paid.Rejected is { } rejected && rejected.Reason.BlamesTheInvoice())
        {
            Log.Warning("not paying {0}'s favour: {1}", PeerConnection.Short(paid.Peer), rejected);
            _node.Tell(new ReportPeer(paid.Peer, PeerBehaviour.InvalidFrame, $"favour invoice refused: {rejected.Reason}: {rejected.Detail}"));
        }
        else
            Log.Info("favour payment to {0} failed: {1}", PeerConnection.Short(paid.Peer), (object?)paid.Rejected ?? paid.Completed!.Result);
        AskMorePeers();
    }

    private void Broadcast(PublicKey peer, Broadcast broadcast)
    {
        _asks.Succeeded(peer);
        _broadcastTo.Add(peer);
        SendTo(peer, broadcast);
        _node.Tell(new TopicHanded(peer));
        // Nothing more goes to that link from here: holding its connection would keep a closed link's actor in memory.
        _links.Remove(peer);
    }

    // ------------------------------------------------------------------ replies and thanks

    private void OnReply(FrameReceived received, Reply reply)
    {
        if (_replies.Admit(received.Peer, reply, _broadcastTo) is { } refused)
        {
            Judge(refused);
            return;
        }
        var name = "reply-" + reply.PaymentHash.ToHex()[..16];
        if (_replyKey is { } replyKey)
            Context.ActorOf(OriginatorReply.Props(_settings, _clock, _node, _settlement, Request, replyKey, reply, received.Peer, received.PeerLightningNode), name);
        else if (_source is { } upstream)
            Context.ActorOf(RelayReply.Props(_settings, _clock, _node, _settlement, reply, upstream, received.Peer, received.PeerLightningNode), name);
    }

    private void Judge(ReplyVerdict? verdict)
    {
        switch (verdict)
        {
            case ReplyVerdict.Thanked thanked:
                _node.Tell(new ReportPeer(thanked.Peer, PeerBehaviour.Thanked, thanked.Detail));
                _node.Tell(new FavourOutcome(thanked.Peer, Thanked: true));
                break;
            case ReplyVerdict.Unthanked unthanked:
                Log.Info("peer {0} unthanked for {1}: {2}", PeerConnection.Short(unthanked.Peer), _payloadId, unthanked.Detail);
                _node.Tell(new FavourOutcome(unthanked.Peer, Thanked: false));
                break;
            case ReplyVerdict.Misbehaved misbehaved:
                _node.Tell(new ReportPeer(misbehaved.Peer, misbehaved.Behaviour, misbehaved.Detail));
                break;
        }
    }

    // ------------------------------------------------------------------ deadlines: asks unanswered, thanks overdue

    private void ScheduleDeadline()
    {
        var next = Earliest(_asks.NextDeadline(), _replies.NextDeadline());
        if (next is { } at) Timers.StartSingleTimer("deadline", Deadline.Instance, at > Now ? at - Now : TimeSpan.Zero);
        else Timers.Cancel("deadline");
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private void OnDeadline()
    {
        var now = Now;
        // Silence is how a peer that has the topic answers an ask (docs/protocol.md D22): a timed-out ask is
        // forgotten, not replaced, or every topic would end up asking every neighbour.
        _asks.TimeOut(now);
        foreach (var verdict in _replies.Due(now)) Judge(verdict);
        ScheduleDeadline();
    }

    private sealed record PowJob(PublicKey Peer, FavourId FavourId, double ExpectedHashes);

    /// <summary>A job's give-up time came: if it is still at the workers, it is cancelled and its favour declined.</summary>
    private sealed record PowGiveUp(PowJob Job);

    /// <summary>Forgets a job at the workers; false if it was given up already (what the worker sends later is stale).</summary>
    private bool EndJob(PowJob job)
    {
        if (_powJobs is null || !_powJobs.Remove(job.FavourId, out var cancel)) return false;
        Timers.Cancel(job);
        cancel.Cancel(); // a running job stops within a thousand hashes
        cancel.Dispose();
        return true;
    }

    private sealed record Deadline
    {
        public static readonly Deadline Instance = new();
    }
}
