using System.Net;
using Akka.Actor;
using Akka.Event;
using SweetGossip.Node.Observation;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Peers;

/// <summary>What a <see cref="PeerSession"/> needs of whatever hosts it: an actor (<see cref="PeerConnection"/>) or an in-memory link end.</summary>
public interface IPeerSessionHost
{
    /// <summary>The reference the node knows the link by (frames for the peer are told to it).</summary>
    IActorRef Self { get; }

    ILoggingAdapter Logger { get; }

    IActorRef DeadLetters { get; }

    void SendBytes(byte[] bytes);

    void CloseLink(string reason);

    /// <summary>The session is over: nothing more is handled (an actor stops; <see cref="PeerSession.Closed"/> follows).</summary>
    void Stop();
}

/// <summary>
/// The rules of one link to one peer, apart from who runs them. Screens what arrives (<see cref="FrameScreen"/>: a seen
/// payload dropped before decoding, a malformed frame or an invalid ask never reaching the node, asks validated here, in
/// parallel across links), enforces the peer's rate limit, and scores the peer in the node's <see cref="PeerScoreBook"/>,
/// which outlives the link: a banned peer is refused as its link comes up, and the book is checked before each frame, so a
/// penalty recorded anywhere (here or by the node's guardian) stops the link before its next frame is handled. Not
/// thread-safe: its host gives it one message at a time.
/// </summary>
public sealed class PeerSession
{
    private readonly PublicKey _peer;
    private readonly IActorRef _node;
    private readonly TimeProvider _clock;
    private readonly PeerScoreBook _scores;
    private readonly IPAddress? _remote;
    private readonly RateLimiter _rate;
    private readonly FrameScreen? _screen;
    private readonly LinkOffers _offers = new();
    private readonly bool _dialled;
    private IPeerSessionHost _host = null!;
    private PeerStanding? _standing;
    private bool _stopped;

    /// <param name="scores">The node's score book, shared by all its connections and its guardian.</param>
    /// <param name="screen">The node's screen; null (transport tests) only decodes, and the node validates asks itself.</param>
    /// <param name="remote">The peer's address for an inbound TCP link (its prefix is scored too); null for links we dialled and in-memory links.</param>
    /// <param name="dialled">This node dialled the link (the node's outbound quota counts it).</param>
    public PeerSession(PublicKey peer, IActorRef node, TimeProvider clock, PeerScoreBook scores, double framesPerSecond, double burst, FrameScreen? screen,
        IPAddress? remote, bool dialled)
    {
        (_peer, _node, _clock, _scores, _screen, _remote, _dialled) = (peer, node, clock, scores, screen, remote, dialled);
        _rate = new RateLimiter(framesPerSecond, burst, clock.GetUtcNow());
    }

    public PublicKey Peer => _peer;

    /// <summary>The peer was admitted and the link announced to the node (which hears <see cref="PeerDisconnected"/> at its end).</summary>
    public bool Announced { get; private set; }

    /// <summary>Over: the link closed, the peer was dropped or refused.</summary>
    public bool IsStopped => _stopped;

    /// <summary>Admits the peer (or refuses it, closing the link) and announces the link to the node.</summary>
    public void Open(IPeerSessionHost host)
    {
        _host = host;
        var admission = _scores.Admit(_peer, _remote is null ? null : AddressPrefix.Of(_remote), _clock.GetUtcNow());
        if (admission.Standing is null)
        {
            // Never announced to the node: it never joins the peer table.
            _stopped = true;
            host.Logger.Warning("refusing peer {0}{1}: {2}; closing the link", Short(_peer), _remote is null ? "" : $" from {_remote}", admission.Refusal);
            host.CloseLink($"refused: {admission.Refusal}");
            NodeMetrics.HandshakeRefused(HandshakeRefusal.Banned);
            host.Stop();
            return;
        }
        _standing = admission.Standing;
        NodeMetrics.LinkOpened();
        Announced = true;
        _node.Tell(new PeerConnected(_peer, host.Self, _dialled), host.Self);
    }

    /// <summary>The host is done with the session: the peer's standing is let go.</summary>
    public void Closed()
    {
        if (_standing is null) return;
        _standing.Release(_clock.GetUtcNow());
        _standing = null;
        NodeMetrics.LinkClosed();
    }

    /// <summary>Handles one message to the link; false if it is not one of a link's.</summary>
    public bool Handle(object message, IActorRef sender)
    {
        switch (message)
        {
            case LinkFrameIn m:
                FrameIn(m.Bytes);
                return true;
            case LinkFramesIn m:
                // A read's frames, in order: none after the one that got the peer dropped.
                foreach (var bytes in m.Frames)
                {
                    if (_stopped) break;
                    FrameIn(bytes);
                }
                return true;
            case SendFrame s:
                var encoded = FrameCodec.Encode(s.Frame);
                _host.SendBytes(encoded);
                if (s.Frame is FavourConditions) NodeMetrics.FavourGranted(lightning: s.Frame is LightningFavourConditions);
                s.Sent(encoded.Length);
                return true;
            // From another member of this node's hub (through the peer-link registry): a frame for this link's peer.
            case Cluster.Peers.PeerDelivery d when d.Peer.Equals(_peer):
                _host.SendBytes(FrameCodec.Encode(d.Frame));
                // The peer's answers for that topic arrive here: the node learns which member's topic they are for.
                if (d.Frame is AskForFavour or TopicAnnouncement or Broadcast && !sender.IsNobody() && !sender.Equals(_host.DeadLetters))
                    _node.Tell(new Hub.DeliveredForMember(_peer, d.Frame), sender);
                return true;
            // Another member of the hub judged this link's peer on a topic of its own: the node's book scores it here.
            case Cluster.Peers.PeerJudgedByMember j when j.Peer.Equals(_peer):
                _node.Tell(j, _host.Self);
                return true;
            case ReportBehaviour r:
                OnReported(r);
                return true;
            case DropPeer d:
                Stop(d.Reason, closeLink: true);
                return true;
            case LinkClosed c:
                Stop(c.Reason, closeLink: false);
                return true;
            default:
                return false;
        }
    }

    /// <summary>One frame's bytes from the peer.</summary>
    public void FrameIn(byte[] bytes)
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
                _node.Tell(new FrameReceived(_peer, FrameCodec.Decode(bytes)), _host.Self);
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
                _node.Tell(new FrameReceived(_peer, pass.Frame) { Verified = pass.Verified }, _host.Self);
                break;
        }
    }

    private void Judge(PeerBehaviour behaviour, string detail)
    {
        var judgement = _standing!.Record(behaviour, _clock.GetUtcNow());
        Log(behaviour, detail, judgement.Score);
        if (judgement.PrefixBanned is { } banned) _host.Logger.Warning("peer {0}: {1}", Short(_peer), banned);
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
            _host.Logger.Warning("peer {0}: {1}: {2} (score {3:0.#})", Short(_peer), behaviour, detail, score);
    }

    /// <summary>Ends the session: the node hears the peer is gone, and the link closes unless it closed first.</summary>
    public void Stop(string reason, bool closeLink)
    {
        if (_stopped) return;
        _stopped = true;
        if (closeLink) _host.CloseLink(reason);
        _node.Tell(new PeerDisconnected(_peer, reason), _host.Self);
        _host.Logger.Info("peer {0} disconnected: {1}", Short(_peer), reason);
        _host.Stop();
    }

    internal static string Short(PublicKey key) => key.ToHex()[..12];
}
