using System.Net;
using SweetGossip.Node.Core;
using SweetGossip.Node.Observation;
using Akka.Actor;
using Akka.Event;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Peers;

/// <summary>
/// One link to one peer. Screens what arrives (<see cref="FrameScreen"/>: a seen payload dropped before decoding, a
/// malformed frame or an invalid ask never reaching the node, asks validated here, in parallel across links), enforces the
/// peer's rate limit, and scores the peer in the node's <see cref="PeerScoreBook"/>, which outlives the link: a banned
/// peer is refused as its link comes up, and the book is checked before each frame, so a penalty recorded anywhere (here
/// or by the node's guardian) stops the link before its next frame is handled. Scoring lives here and in the book, apart
/// from routing, which is the node's.
/// </summary>
public sealed class PeerConnection : UntypedActor
{
    private readonly PublicKey _peer;
    private readonly IActorRef _link;
    private readonly IActorRef _node;
    private readonly TimeProvider _clock;
    private readonly PeerScoreBook _scores;
    private readonly IPAddress? _remote;
    private readonly RateLimiter _rate;
    private readonly FrameScreen? _screen;
    private readonly LinkOffers _offers = new();
    // Made when first used: most links never log (one logging adapter per link is memory in a 100k-peer simulation).
    private ILoggingAdapter? _logger;
    private readonly bool _dialled;
    private PeerStanding? _standing;
    private bool _stopped;

    public PeerConnection(PublicKey peer, IActorRef link, IActorRef node, TimeProvider clock, PeerScoreBook scores, double framesPerSecond, double burst, FrameScreen? screen,
        IPAddress? remote, bool dialled = false)
    {
        _dialled = dialled;
        _screen = screen;
        _peer = peer;
        _link = link;
        _node = node;
        _clock = clock;
        _scores = scores;
        _remote = remote;
        _rate = new RateLimiter(framesPerSecond, burst, clock.GetUtcNow());
    }

    private ILoggingAdapter Logger => _logger ??= Context.GetLogger();

    // An untyped actor: a node has one per link, and a receive actor's handler objects cost about 1.5 KB each (simulations).
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case LinkFrameIn m:
                OnFrameIn(m.Bytes);
                break;
            case LinkFramesIn m:
                // A read's frames, in order: none after the one that got the peer dropped.
                foreach (var bytes in m.Frames)
                {
                    if (_stopped) break;
                    OnFrameIn(bytes);
                }
                break;
            case SendFrame s:
                var encoded = FrameCodec.Encode(s.Frame);
                _link.Tell(new LinkFrameOut(encoded));
                if (s.Frame is FavourConditions) NodeMetrics.FavourGranted(lightning: s.Frame is LightningFavourConditions);
                s.Sent(encoded.Length);
                break;
            // From another member of this node's hub (through the peer-link registry): a frame for this link's peer.
            case Cluster.Peers.PeerDelivery d when d.Peer.Equals(_peer):
                _link.Tell(new LinkFrameOut(FrameCodec.Encode(d.Frame)));
                // The peer's answers for that topic arrive here: the node learns which member's topic they are for.
                if (d.Frame is AskForFavour or TopicAnnouncement or Broadcast && !Sender.IsNobody() && !Sender.Equals(Context.System.DeadLetters))
                    _node.Tell(new Hub.DeliveredForMember(_peer, d.Frame), Sender);
                break;
            // Another member of the hub judged this link's peer on a topic of its own: the node's book scores it here.
            case Cluster.Peers.PeerJudgedByMember j when j.Peer.Equals(_peer):
                _node.Tell(j);
                break;
            case ReportBehaviour r:
                OnReported(r);
                break;
            case DropPeer d:
                Stop(d.Reason, closeLink: true);
                break;
            case LinkClosed c:
                Stop(c.Reason, closeLink: false);
                break;
            case Terminated t when t.ActorRef.Equals(_link):
                Stop("link terminated", closeLink: false);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <param name="scores">The node's score book, shared by all its connections and its guardian.</param>
    /// <param name="screen">The node's screen; null (transport tests) only decodes, and the node validates asks itself.</param>
    /// <param name="remote">The peer's address for an inbound TCP link (its prefix is scored too); null for links we dialled and in-memory links.</param>
    /// <param name="dialled">This node dialled the link (the node's outbound quota counts it).</param>
    public static Props Props(PublicKey peer, IActorRef link, IActorRef node, TimeProvider clock, PeerScoreBook scores, double framesPerSecond, double burst,
        FrameScreen? screen = null, IPAddress? remote = null, bool dialled = false) =>
        Akka.Actor.Props.CreateBy(new Producer(peer, link, node, clock, scores, framesPerSecond, burst, screen, remote, dialled));

    // The arguments kept in one object (the props live as long as the actor): a delegate over a closure is two more per link.
    private sealed record Producer(PublicKey Peer, IActorRef Link, IActorRef Node, TimeProvider Clock, PeerScoreBook Scores, double FramesPerSecond, double Burst,
        FrameScreen? Screen, IPAddress? Remote, bool Dialled) : IIndirectActorProducer
    {
        public Type ActorType => typeof(PeerConnection);

        public ActorBase Produce() => new PeerConnection(Peer, Link, Node, Clock, Scores, FramesPerSecond, Burst, Screen, Remote, Dialled);

        public void Release(ActorBase actor) { }
    }

    protected override void PreStart()
    {
        if (_link is not IAnnouncesClosing) Context.Watch(_link);
        var admission = _scores.Admit(_peer, _remote is null ? null : AddressPrefix.Of(_remote), _clock.GetUtcNow());
        if (admission.Standing is null)
        {
            // Never announced to the node: it never joins the peer table.
            _stopped = true;
            Logger.Warning("refusing peer {0}{1}: {2}; closing the link", Short(_peer), _remote is null ? "" : $" from {_remote}", admission.Refusal);
            _link.Tell(new CloseLink($"refused: {admission.Refusal}"));
            NodeMetrics.HandshakeRefused(HandshakeRefusal.Banned);
            Context.Stop(Self);
            return;
        }
        _standing = admission.Standing;
        NodeMetrics.LinkOpened();
        _node.Tell(new PeerConnected(_peer, Self, _dialled));
    }

    protected override void PostStop()
    {
        if (_standing is null) return;
        _standing.Release(_clock.GetUtcNow());
        NodeMetrics.LinkClosed();
    }

    private void OnFrameIn(byte[] bytes)
    {
        if (_stopped) return;
        var now = _clock.GetUtcNow();
        if (_standing!.IsBanned(now))
        {
            // Judged below the threshold by the node's guardian since the last frame: this one is not handled.
            Stop($"score {_standing.Score(now):0.#} below threshold: banned by the node", closeLink: true);
            return;
        }
        if (!_rate.TryTake(now))
        {
            Judge(PeerBehaviour.Flood, "sends faster than its rate limit");
            return;
        }
        if (_screen is null)
        {
            try
            {
                _node.Tell(new FrameReceived(_peer, FrameCodec.Decode(bytes)));
            }
            catch (FrameFormatException e)
            {
                Judge(PeerBehaviour.MalformedFrame, e.Message);
            }
            return;
        }
        switch (_screen.Screen(bytes, now))
        {
            case ScreenResult.Seen { IsAsk: true } seen:
                _screen.OnDuplicateOffered?.Invoke(_peer, seen.PayloadId, now);
                // Another path offering a topic the node carries is gossip; this peer offering it again is a chatterbox.
                if (!_offers.First(seen.PayloadId, _screen.Seen.TryGetExpiry(seen.PayloadId, out var expiry) ? expiry : now, now))
                    Judge(PeerBehaviour.Duplicate, $"asked again for payload {seen.PayloadId}, already seen");
                break;
            case ScreenResult.Seen seenBroadcast:
                NodeMetrics.TopicDeduplicated(ask: false); // a broadcast of a topic that arrived by another path first
                _screen.OnBroadcastCopyDropped?.Invoke(_peer, seenBroadcast.PayloadId, now);
                break;
            case ScreenResult.Malformed malformed:
                Judge(PeerBehaviour.MalformedFrame, malformed.Reason);
                break;
            case ScreenResult.Invalid invalid:
                Judge(PeerBehaviour.InvalidFrame, invalid.Reason);
                break;
            case ScreenResult.Pass pass:
                if (pass.Frame is AskForFavour ask)
                    _offers.First(ask.SignedRequest.Payload.PayloadId, ask.SignedRequest.Payload.ExpiresAt, now);
                _node.Tell(new FrameReceived(_peer, pass.Frame) { Verified = pass.Verified });
                break;
        }
    }

    private void Judge(PeerBehaviour behaviour, string detail)
    {
        var judgement = _standing!.Record(behaviour, _clock.GetUtcNow());
        Log(behaviour, detail, judgement.Score);
        if (judgement.PrefixBanned is { } banned) Logger.Warning("peer {0}: {1}", Short(_peer), banned);
        if (judgement.Refused)
            Stop($"score {judgement.Score:0.#} below threshold after {behaviour}: {detail}", closeLink: true);
    }

    /// <summary>The node's guardian judged the peer and recorded it in the book already.</summary>
    private void OnReported(ReportBehaviour report)
    {
        if (_stopped) return;
        Log(report.Behaviour, report.Detail, report.Score);
        if (_standing!.IsBanned(_clock.GetUtcNow()))
            Stop($"score {report.Score:0.#} below threshold after {report.Behaviour}: {report.Detail}", closeLink: true);
    }

    private void Log(PeerBehaviour behaviour, string detail, double score)
    {
        if (behaviour is not (PeerBehaviour.FirstDelivery or PeerBehaviour.Thanked))
            Logger.Warning("peer {0}: {1}: {2} (score {3:0.#})", Short(_peer), behaviour, detail, score);
    }

    private void Stop(string reason, bool closeLink)
    {
        if (_stopped) return;
        _stopped = true;
        if (closeLink) _link.Tell(new CloseLink(reason));
        _node.Tell(new PeerDisconnected(_peer, reason));
        Logger.Info("peer {0} disconnected: {1}", Short(_peer), reason);
        Context.Stop(Self);
    }

    internal static string Short(PublicKey key) => key.ToHex()[..12];
}
