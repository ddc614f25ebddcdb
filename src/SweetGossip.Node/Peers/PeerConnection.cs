using SweetGossip.Node.Core;
using Akka.Actor;
using Akka.Event;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Peers;

/// <summary>
/// One link to one peer. Decodes what arrives (a malformed frame never reaches the node), enforces the
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
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public PeerConnection(PublicKey peer, IActorRef link, IActorRef node, TimeProvider clock, PeerScoreParameters scoring, double framesPerSecond, double burst)
    {
        _peer = peer;
        _link = link;
        _node = node;
        _clock = clock;
        _score = new PeerScore(scoring, clock.GetUtcNow());
        _rate = new RateLimiter(framesPerSecond, burst, clock.GetUtcNow());

        Receive<LinkFrameIn>(OnFrameIn);
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

    public static Props Props(PublicKey peer, IActorRef link, IActorRef node, TimeProvider clock, PeerScoreParameters scoring, double framesPerSecond = 200, double burst = 400) =>
        ActorFactory.Props(() => new PeerConnection(peer, link, node, clock, scoring, framesPerSecond, burst));

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
        try
        {
            _node.Tell(new FrameReceived(_peer, FrameCodec.Decode(message.Bytes)));
        }
        catch (FrameFormatException e)
        {
            Judge(PeerBehaviour.MalformedFrame, e.Message);
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
