using System.Net;
using Akka.Actor;
using Akka.Event;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Node.Peers;

/// <summary>
/// One link to one peer, as an actor next to its link (TCP; in-memory links outside the simulator): runs the link's
/// <see cref="PeerSession"/> (screening, rate limit, scoring) one message at a time, and stops when the session ends.
/// With a drain timeout (its node answers the drain handshake, <see cref="DrainLink"/>) it stays a while after the
/// session ended: frames that still reach it are handed back to the node (<see cref="FrameReturned"/>), never lost, until
/// every topic the node told the link closed has released it, or the timeout passes.
/// </summary>
public sealed class PeerConnection : UntypedActor, IPeerSessionHost
{
    private readonly IActorRef _link;
    private readonly PeerSession _session;
    private readonly IActorRef _node;
    private readonly TimeSpan? _drainTimeout;
    // Made when the node first names holders or the session ends: most links never drain.
    private LinkDrain? _drain;
    private bool _draining;
    private ICancelable? _drainDeadline;
    // Made when first used: most links never log (one logging adapter per link is memory in a 100k-peer simulation).
    private ILoggingAdapter? _logger;

    public PeerConnection(PublicKey peer, IActorRef link, IActorRef node, TimeProvider clock, PeerScoreBook scores, double framesPerSecond, double burst, FrameScreen? screen,
        IPAddress? remote, bool dialled = false, TimeSpan? drainTimeout = null)
    {
        (_link, _node, _drainTimeout) = (link, node, drainTimeout);
        _session = new PeerSession(peer, node, clock, scores, framesPerSecond, burst, screen, remote, dialled);
    }

    IActorRef IPeerSessionHost.Self => Self;

    public ILoggingAdapter Logger => _logger ??= Context.GetLogger();

    public IActorRef DeadLetters => Context.System.DeadLetters;

    public void SendBytes(byte[] bytes) => _link.Tell(new LinkFrameOut(bytes));

    public void CloseLink(string reason) => _link.Tell(new CloseLink(reason));

    void IPeerSessionHost.Stop()
    {
        // A session refused at once never announced the link: no node will drain it.
        if (_drainTimeout is not { } timeout || !_session.Announced)
        {
            Context.Stop(Self);
            return;
        }
        _draining = true;
        _session.Closed(); // the peer's standing is let go now, as when stopping
        _drainDeadline = Context.System.Scheduler.ScheduleTellOnceCancelable(timeout, Self, DrainOverdue.Instance, Self);
        StopIfDrained();
    }

    // An untyped actor: a node has one per link, and a receive actor's handler objects cost about 1.5 KB each (simulations).
    protected override void OnReceive(object message)
    {
        if (OnDrainMessage(message)) return;
        if (_draining)
        {
            Drain(message);
            return;
        }
        if (_session.Handle(message, Sender)) return;
        if (message is Terminated t && t.ActorRef.Equals(_link)) _session.Stop("link terminated", closeLink: false);
        else if (message is LinkFrameNotSent) { } // the link is closing; the session hears LinkClosed next
        else Unhandled(message);
    }

    /// <summary>The drain handshake's messages, in any state: the node may name holders while the link is still up (replaced).</summary>
    private bool OnDrainMessage(object message)
    {
        switch (message)
        {
            case AwaitReleases a:
                foreach (var holder in (_drain ??= new LinkDrain()).Await(a.Holders)) Context.Watch(holder);
                break;
            case LinkReleased:
                if ((_drain ??= new LinkDrain()).Released(Sender)) Context.Unwatch(Sender);
                break;
            case Terminated t when _drain is not null && !t.ActorRef.Equals(_link):
                _drain.Released(t.ActorRef);
                break;
            case DrainLink:
                (_drain ??= new LinkDrain()).NamedAll();
                break;
            default:
                return false;
        }
        StopIfDrained();
        return true;
    }

    /// <summary>The session is over: a frame still sent here goes back to the node, which knows the peer's current link.</summary>
    private void Drain(object message)
    {
        switch (message)
        {
            case SendFrame s:
                _node.Tell(new FrameReturned(_session.Peer, s.Frame), Self);
                break;
            case LinkFrameNotSent n:
                // Bytes this connection encoded itself: decoding them cannot fail on a peer's input.
                _node.Tell(new FrameReturned(_session.Peer, Protocol.Wire.FrameCodec.Decode(n.Bytes)), Self);
                break;
            case Cluster.Peers.PeerDelivery or Cluster.Peers.PeerJudgedByMember:
                // Another member's, through the hub's registry: as a dead letter (what it was before the drain) the registry
                // holds it for the peer's next link, or answers its sender, instead of its being lost here unanswered.
                Context.System.DeadLetters.Tell(new DeadLetter(message, Sender, Self), Sender);
                break;
            case DrainOverdue:
                Logger.Warning("link to {0}: stopping with {1} topic(s) still holding it after {2}; a frame they send it now is lost",
                    Short(_session.Peer), _drain?.Awaited ?? 0, _drainTimeout);
                Context.Stop(Self);
                break;
            // What else a closed link gets (its frames in, the link's end, reports) has nobody to act on it.
        }
    }

    private void StopIfDrained()
    {
        if (_draining && _drain is { IsComplete: true }) Context.Stop(Self);
    }

    private sealed record DrainOverdue
    {
        public static readonly DrainOverdue Instance = new();
    }

    /// <param name="scores">The node's score book, shared by all its connections and its guardian.</param>
    /// <param name="screen">The node's screen; null (transport tests) only decodes, and the node validates asks itself.</param>
    /// <param name="remote">The peer's address for an inbound TCP link (its prefix is scored too); null for links we dialled and in-memory links.</param>
    /// <param name="dialled">This node dialled the link (the node's outbound quota counts it).</param>
    /// <param name="drainTimeout">Its node answers the drain handshake (<see cref="Core.AttachNode.LinkDrainTimeout"/>): after the
    /// link closes the connection hands frames back, at most this long; null: it stops as its session ends.</param>
    public static Props Props(PublicKey peer, IActorRef link, IActorRef node, TimeProvider clock, PeerScoreBook scores, double framesPerSecond, double burst,
        FrameScreen? screen = null, IPAddress? remote = null, bool dialled = false, TimeSpan? drainTimeout = null) =>
        Akka.Actor.Props.CreateBy(new Producer(peer, link, node, clock, scores, framesPerSecond, burst, screen, remote, dialled, drainTimeout));

    // The arguments kept in one object (the props live as long as the actor): a delegate over a closure is two more per link.
    private sealed record Producer(PublicKey Peer, IActorRef Link, IActorRef Node, TimeProvider Clock, PeerScoreBook Scores, double FramesPerSecond, double Burst,
        FrameScreen? Screen, IPAddress? Remote, bool Dialled, TimeSpan? DrainTimeout) : IIndirectActorProducer
    {
        public Type ActorType => typeof(PeerConnection);

        public ActorBase Produce() => new PeerConnection(Peer, Link, Node, Clock, Scores, FramesPerSecond, Burst, Screen, Remote, Dialled, DrainTimeout);

        public void Release(ActorBase actor) { }
    }

    protected override void PreStart()
    {
        if (_link is not IAnnouncesClosing) Context.Watch(_link);
        _session.Open(this);
    }

    protected override void PostStop()
    {
        _drainDeadline?.Cancel();
        _session.Closed();
    }

    internal static string Short(PublicKey key) => PeerSession.Short(key);
}
