using SweetGossip.Node.Core;
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
/// peer's rate limit, keeps its score, and drops the link when the score falls below the threshold.
/// Scoring lives here, apart from routing, which is the node's.
/// </summary>
public sealed class PeerConnection : ReceiveActor
{
    private readonly PublicKey _peer;
    private readonly IActorRef _link;
    private readonly IActorRef _node;
    private readonly TimeProvider _clock;
    private readonly PeerScore _score;
    private readonly RateLimiter _rate;
    private readonly FrameScreen? _screen;
    private readonly LinkOffers _offers = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public PeerConnection(PublicKey peer, IActorRef link, IActorRef node, TimeProvider clock, PeerScoreParameters scoring, double framesPerSecond, double burst, FrameScreen? screen)
    {
        _screen = screen;
        _peer = peer;
        _link = link;
        _node = node;
        _clock = clock;
        _score = new PeerScore(scoring, clock.GetUtcNow());
        _rate = new RateLimiter(framesPerSecond, burst, clock.GetUtcNow());

        Receive<LinkFrameIn>(OnFrameIn);
        Receive<LinkFramesIn>(m => { foreach (var bytes in m.Frames) OnFrameIn(new LinkFrameIn(bytes)); });
        Receive<SendFrame>(s =>
        {
            var bytes = FrameCodec.Encode(s.Frame);
            _link.Tell(new LinkFrameOut(bytes));
            s.Sent?.Invoke(bytes.Length);
        });
        Receive<ReportBehaviour>(r => Judge(r.Behaviour, r.Detail));
        Receive<LinkClosed>(c => Stop(c.Reason, closeLink: false));
        Receive<Terminated>(t => t.ActorRef.Equals(_link), _ => Stop("link terminated", closeLink: false));
    }

    /// <param name="screen">The node's screen; null (transport tests) only decodes, and the node validates asks itself.</param>
    public static Props Props(PublicKey peer, IActorRef link, IActorRef node, TimeProvider clock, PeerScoreParameters scoring, double framesPerSecond = 200, double burst = 400,
        FrameScreen? screen = null) =>
        ActorFactory.Props(() => new PeerConnection(peer, link, node, clock, scoring, framesPerSecond, burst, screen));

    protected override void PreStart()
    {
        Context.Watch(_link);
        _node.Tell(new PeerConnected(_peer, Self));
    }

    private void OnFrameIn(LinkFrameIn message)
    {
        var now = _clock.GetUtcNow();
        if (!_rate.TryTake(now))
        {
            Judge(PeerBehaviour.Flood, "sends faster than its rate limit");
            return;
        }
        if (_screen is null)
        {
            try
            {
                _node.Tell(new FrameReceived(_peer, FrameCodec.Decode(message.Bytes)));
            }
            catch (FrameFormatException e)
            {
                Judge(PeerBehaviour.MalformedFrame, e.Message);
            }
            return;
        }
        switch (_screen.Screen(message.Bytes, now))
        {
            case ScreenResult.Seen { IsAsk: true } seen:
                _screen.OnDuplicateOffered?.Invoke(_peer, seen.PayloadId, now);
                // Another path offering a topic the node carries is gossip; this peer offering it again is a chatterbox.
                if (!_offers.First(seen.PayloadId, _screen.Seen.TryGetExpiry(seen.PayloadId, out var expiry) ? expiry : now, now))
                    Judge(PeerBehaviour.Duplicate, $"asked again for payload {seen.PayloadId}, already seen");
                break;
            case ScreenResult.Seen:
                break; // a broadcast of a topic that arrived by another path first
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
        var score = _score.Record(behaviour, _clock.GetUtcNow());
        if (behaviour is not (PeerBehaviour.FirstDelivery or PeerBehaviour.Thanked))
            _log.Warning("peer {0}: {1}: {2} (score {3:0.#})", Short(_peer), behaviour, detail, score);
        if (_score.BelowThreshold)
            Stop($"score {score:0.#} below threshold after {behaviour}: {detail}", closeLink: true);
    }

    private void Stop(string reason, bool closeLink)
    {
        if (closeLink) _link.Tell(new CloseLink(reason));
        _node.Tell(new PeerDisconnected(_peer, reason));
        _log.Info("peer {0} disconnected: {1}", Short(_peer), reason);
        Context.Stop(Self);
    }

    internal static string Short(PublicKey key) => key.ToHex()[..12];
}
