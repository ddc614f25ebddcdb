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
/// One topic in flight at this node: originated here, or accepted from a peer. It takes the job (spawns
/// the replier) or passes it on: asks chosen peers for favours, pays each favour (PoW or sats), and
/// broadcasts. Replies for the topic come back here and each gets its own pending-reply actor.
/// Lives until the request expires.
/// </summary>
public sealed class TopicActor : ReceiveActor, IWithTimers
{
    private readonly NodeSettings _settings;
    private readonly TimeProvider _clock;
    private readonly IActorRef _node;
    private readonly IActorRef _settlement;
    private readonly IActorRef _pow;
    private readonly SignedRequestPayload _request;
    private readonly PublicKey? _source;
    private readonly PrivateKey? _replyKey;
    private readonly int _outgoingHops;
    private readonly ulong _outgoingPathFee;
    private readonly bool _mayRelay;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _replyPaid;
    // The links this topic's asks went out on: its broadcasts follow them straight there.
    private readonly Dictionary<PublicKey, IActorRef> _links = [];

    public TopicActor(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, IActorRef pow,
        SignedRequestPayload request, PublicKey? source, PrivateKey? replyKey, int outgoingHops, ulong outgoingPathFee, bool mayRelay)
    {
        (_settings, _clock, _node, _settlement, _pow) = (settings, clock, node, settlement, pow);
        (_request, _source, _replyKey, _outgoingHops, _outgoingPathFee, _mayRelay) = (request, source, replyKey, outgoingHops, outgoingPathFee, mayRelay);

        Receive<PeersChosen>(OnPeersChosen);
        Receive<FrameReceived>(f => f.Frame is PowFavourConditions, f => OnPowConditions(f.Peer, (PowFavourConditions)f.Frame));
        Receive<FrameReceived>(f => f.Frame is LightningFavourConditions, f => OnLightningConditions(f, (LightningFavourConditions)f.Frame));
        Receive<PowSolved>(OnPowSolved);
        Receive<FavourPaid>(OnFavourPaid);
        Receive<FrameReceived>(f => f.Frame is Reply, f => OnReply(f, (Reply)f.Frame));
        Receive<FrameReceived>(f => f.Frame is ThankYou or Validate or Ack, f => { foreach (var child in Context.GetChildren()) child.Forward(f); });
        Receive<OriginatorReply.WantToPay>(_ =>
        {
            Sender.Tell(_replyPaid ? OriginatorReply.PayDenied.Instance : OriginatorReply.PayGranted.Instance);
            _replyPaid = true;
        });
        Receive<ReceiveTimeout>(_ => Context.Stop(Self));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static string NameFor(PayloadId id) => "topic-" + id;

    /// <summary>A topic this node originates.</summary>
    public static Props ForOrigin(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, IActorRef pow, SignedRequestPayload request, PrivateKey replyKey) =>
        ActorFactory.Props(() => new TopicActor(settings, clock, node, settlement, pow, request, null, replyKey, settings.MaxHops, 0, true));

    /// <summary>A topic accepted from <paramref name="source"/>'s broadcast.</summary>
    public static Props ForBroadcast(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, IActorRef pow, Broadcast broadcast, PublicKey source) =>
        ActorFactory.Props(() => new TopicActor(settings, clock, node, settlement, pow, broadcast.SignedRequest, source, null,
            broadcast.HopsRemaining - 1, checked(broadcast.PathFeeMsat + settings.RelayFeeMsat), broadcast.HopsRemaining > 0));

    protected override void PreStart()
    {
        var now = _clock.GetUtcNow();
        // Stay only as long as the request lives (plus time for the reply's payment to finish).
        var lifetime = _request.Payload.ExpiresAt - now + _settings.ReplyInvoiceExpiry;
        Timers.StartSingleTimer("lifetime", ReceiveTimeout.Instance, lifetime > TimeSpan.Zero ? lifetime : TimeSpan.Zero);

        if (_source is { } source && _settings.ReplyPolicy.Decide(_request.Payload.Topic, now) is { } offer)
        {
            // The whitepaper: a peer interested in the job becomes the replier instead of relaying.
            Context.ActorOf(ReplierReply.Props(_settings, _clock, _node, _settlement, _request, source, offer), "replier");
            return;
        }
        // A node always sends its own topics; others' while hops remain.
        if (!_mayRelay) return;
        _node.Tell(new ChoosePeers(_source, _settings.Fanout, _request.Payload.PayloadId));
    }

    private void OnPeersChosen(PeersChosen chosen)
    {
        foreach (var peer in chosen.Peers)
        {
            _links[peer.Peer] = peer.Connection;
            peer.Connection.Tell(SendFrame.Observed(_settings, _clock, peer.Peer, new AskForFavour(peer.AskId, _request)));
        }
    }

    /// <summary>Straight to the link the ask went out on; through the guardian if that link is not known here.</summary>
    private void SendTo(PublicKey peer, Frame frame)
    {
        if (_links.TryGetValue(peer, out var connection)) connection.Tell(SendFrame.Observed(_settings, _clock, peer, frame));
        else _node.Tell(new SendToPeer(peer, frame));
    }

    private void OnPowConditions(PublicKey peer, PowFavourConditions conditions)
    {
        if (conditions.Scheme != PowSchemes.Sha256 || conditions.DifficultyBits > _settings.MaxAcceptedDifficultyBits)
        {
            _log.Info("declining {0}'s conditions: {1} at {2} bits", PeerConnection.Short(peer), conditions.Scheme, conditions.DifficultyBits);
            return;
        }
        var challenge = FavourChallenge.For(conditions, _request.PayloadHash, peer).ComputeChallengeHash();
        if (conditions.DifficultyBits <= InlinePowBits)
            OnPowSolved(PowWorker.Solve(new SolvePow(challenge, conditions.DifficultyBits, (peer, conditions.FavourId)))); // a few hashes: not worth a trip to the pool
        else
            _pow.Tell(new SolvePow(challenge, conditions.DifficultyBits, (peer, conditions.FavourId)));
    }

    /// <summary>Up to this difficulty (≈ 2^6 = 64 hashes, tens of µs) a proof is solved in place.</summary>
    private const int InlinePowBits = 6;

    private void OnPowSolved(PowSolved solved)
    {
        var (peer, favourId) = ((PublicKey, FavourId))solved.Correlation;
        _settings.Observer.PowSolved(_settings.Identity.PublicKey, solved.HashesTried, _clock.GetUtcNow());
        SendTo(peer, new Broadcast(favourId, _request, new PowProof(solved.Nonce), _outgoingHops, _outgoingPathFee));
    }

    private void OnLightningConditions(FrameReceived received, LightningFavourConditions conditions)
    {
        var peer = received.Peer;
        if (conditions.PriceMsat > _settings.MaxFavourPriceMsat)
        {
            _log.Info("declining {0}'s price of {1} msat", PeerConnection.Short(peer), conditions.PriceMsat);
            return;
        }
        if (received.PeerLightningNode is not { } payee)
        {
            _node.Tell(new ReportPeer(peer, PeerBehaviour.InvalidFrame, "asked to be paid over Lightning without announcing its Lightning node"));
            return;
        }
        // Settlement pays only an invoice for exactly the price, to the peer's own node, payable until the favour ends.
        var terms = new PaymentTerms(ExactAmountMsat: conditions.PriceMsat, Payee: payee, PayableUntil: conditions.ValidUntil);
        Context.ActorOf(FavourPayment.Props(_settlement, new PayInvoice(conditions.Invoice, terms), peer, conditions.FavourId, _settings.FavourValidity));
    }

    private void OnFavourPaid(FavourPaid paid)
    {
        if (paid.Completed is { Result.Succeeded: true } completed)
        {
            _settings.Observer.Payment(_settings.Identity.PublicKey, Observation.PaymentSide.FavourPaid, completed.Result.AmountMsat + completed.Result.FeeMsat, _clock.GetUtcNow());
            SendTo(paid.Peer, new Broadcast(paid.FavourId, _request, new PaymentProof(completed.Result.Preimage!.Value), _outgoingHops, _outgoingPathFee));
            return;
        }
        if (paid.Rejected is { } rejected && rejected.Reason.BlamesTheInvoice())
        {
            _log.Warning("not paying {0}'s favour: {1}", PeerConnection.Short(paid.Peer), rejected);
            _node.Tell(new ReportPeer(paid.Peer, PeerBehaviour.InvalidFrame, $"favour invoice refused: {rejected.Reason}: {rejected.Detail}"));
        }
        else
            _log.Info("favour payment to {0} failed: {1}", PeerConnection.Short(paid.Peer), (object?)paid.Rejected ?? paid.Completed!.Result);
    }

    private void OnReply(FrameReceived received, Reply reply)
    {
        var name = "reply-" + reply.PaymentHash.ToHex()[..16];
        if (!Context.Child(name).IsNobody())
            return; // the same reply twice
        if (_replyKey is { } replyKey)
            Context.ActorOf(OriginatorReply.Props(_settings, _clock, _node, _settlement, _request, replyKey, reply, received.Peer, received.PeerLightningNode), name);
        else if (_source is { } upstream)
            Context.ActorOf(RelayReply.Props(_settings, _clock, _node, _settlement, reply, upstream, received.Peer, received.PeerLightningNode), name);
    }
}
