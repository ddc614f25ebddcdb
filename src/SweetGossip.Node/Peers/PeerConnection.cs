using System.Net;
using Akka.Actor;
using Akka.Event;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Node.Peers;

/// <summary>
/// One link to one peer, as an actor next to its link (TCP; in-memory links outside the simulator): runs the link's
/// <see cref="PeerSession"/> (screening, rate limit, scoring) one message at a time, and stops when the session ends.
/// </summary>
public sealed class PeerConnection : UntypedActor, IPeerSessionHost
{
    private readonly IActorRef _link;
    private readonly PeerSession _session;
    // Made when first used: most links never log (one logging adapter per link is memory in a 100k-peer simulation).
    private ILoggingAdapter? _logger;

    public PeerConnection(PublicKey peer, IActorRef link, IActorRef node, TimeProvider clock, PeerScoreBook scores, double framesPerSecond, double burst, FrameScreen? screen,
        IPAddress? remote, bool dialled = false)
    {
        _link = link;
        _session = new PeerSession(peer, node, clock, scores, framesPerSecond, burst, screen, remote, dialled);
    }

    IActorRef IPeerSessionHost.Self => Self;

    public ILoggingAdapter Logger => _logger ??= Context.GetLogger();

    public IActorRef DeadLetters => Context.System.DeadLetters;

    public void SendBytes(byte[] bytes) => _link.Tell(new LinkFrameOut(bytes));

    public void CloseLink(string reason) => _link.Tell(new CloseLink(reason));

    void IPeerSessionHost.Stop() => Context.Stop(Self);

    // An untyped actor: a node has one per link, and a receive actor's handler objects cost about 1.5 KB each (simulations).
    protected override void OnReceive(object message)
    {
        if (_session.Handle(message, Sender)) return;
        if (message is Terminated t && t.ActorRef.Equals(_link)) _session.Stop("link terminated", closeLink: false);
        else Unhandled(message);
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
        _session.Open(this);
    }

    protected override void PostStop() => _session.Closed();

    internal static string Short(PublicKey key) => PeerSession.Short(key);
}
