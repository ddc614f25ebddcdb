using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Transport;

/// <summary>
/// A node's transport on an <see cref="InMemoryNetwork"/>: connects to addresses and accepts links,
/// creating a PeerConnection for each side exactly as the TCP transport does after its handshake (in the simulator,
/// <see cref="InMemoryNetwork.ConnectionsInLinkEnds"/>, a <see cref="PeerSession"/> run by the link end instead).
/// Identities are exchanged, not proven: everything in one process is one trust domain.
/// </summary>
public sealed class InMemoryTransport : UntypedActor, IWithUnboundedStash
{
    private sealed record AcceptLink(PublicKey From, InMemoryLink FromLink, string FromAddress);

    // The accepting side's answer; plain messages, not an Ask, so simulations stay on one thread.
    private sealed record LinkOffered(PublicKey Peer, InMemoryLink PeerLink, InMemoryLink ForLink);

    private sealed record LinkRefused(InMemoryLink ForLink, string Reason);

    // By reference: a link end's path is made only if something asks for it. Null while no dial is under way.
    private Dictionary<InMemoryLink, (string Address, IActorRef ReplyTo)>? _connecting;

    // Links and the address at their other end, for simulated churn; closed ones are let go as new ones open.
    private readonly Dictionary<InMemoryLink, string> _links = new(ReferenceEqualityComparer.Instance);
    private long _linksMade;
    private InMemoryLink.Side? _side;
    private bool _offline;

    private readonly InMemoryNetwork _network;
    private readonly string _address;
    private readonly PublicKey _identity;
    private readonly TimeProvider _clock;
    private readonly PeerScoreBook _scores;
    private readonly FrameScreen? _screen;
    private readonly double _framesPerSecond;
    private readonly double _burst;
    private IActorRef _node = ActorRefs.Nobody;
    // The node answers the drain handshake of closed links (connection actors only; the simulator's link ends do not drain).
    private TimeSpan? _drainTimeout;

    public InMemoryTransport(InMemoryNetwork network, string address, PublicKey identity, TimeProvider clock, PeerScoreBook scores, double framesPerSecond, double burst, FrameScreen? screen)
    {
        (_network, _address, _identity, _clock, _scores, _framesPerSecond, _burst, _screen) = (network, address, identity, clock, scores, framesPerSecond, burst, screen);
        // A link end that runs its session tells the other end in its caller's thread: only through a scheduler or courier.
        if (network is { ConnectionsInLinkEnds: true, Latency: null, Courier: null })
            throw new InvalidOperationException("an in-memory network whose connections live in the link ends needs a latency model or a courier");
    }

    public IStash Stash { get; set; } = null!;

    // An untyped actor: a simulation has one transport per peer, and a receive actor's handler objects cost about 1 KB.
    protected override void OnReceive(object message)
    {
        if (_node.IsNobody())
        {
            // Until the node attaches, nothing can be reported to it: keep links waiting.
            if (message is AttachNode a)
            {
                (_node, _drainTimeout) = (a.Node, a.LinkDrainTimeout);
                Stash.UnstashAll();
            }
            else Stash.Stash();
            return;
        }
        switch (message)
        {
            case Connect c:
                OnConnect(c);
                break;
            case AcceptLink a:
                OnAccept(a);
                break;
            case LinkOffered o:
                OnOffered(o);
                break;
            case LinkRefused r:
                if (!Connected(r.ForLink, out var connecting)) return;
                r.ForLink.Discard(r.Reason);
                connecting.ReplyTo.Tell(new ConnectFailed(connecting.Address, r.Reason));
                break;
            case GoOffline:
                OnGoOffline();
                break;
            case GoOnline g:
                OnGoOnline(g);
                break;
            case DropLink d:
                foreach (var link in _links.Where(l => l.Value == d.Address).Select(l => l.Key).ToList())
                    link.Sever("link dropped");
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnGoOffline()
    {
        _offline = true;
        _network.Unregister(_address, Self);
        foreach (var link in _links.Keys) link.Sever("peer went offline");
    }

    private void OnGoOnline(GoOnline online)
    {
        _offline = false;
        _network.Register(_address, Self);
        foreach (var address in online.Dial) Self.Tell(new Connect(address), _node);
    }

    // A node dials all its peers at start and then rarely: the dial book is let go once empty (never enumerated; trimmed, an
    // empty one still held ≈ 220 bytes per simulated peer).
    private bool Connected(InMemoryLink link, out (string Address, IActorRef ReplyTo) connecting)
    {
        if (_connecting is null || !_connecting.Remove(link, out connecting))
        {
            connecting = default;
            return false;
        }
        if (_connecting.Count == 0) _connecting = null;
        return true;
    }

    private void Dialling(InMemoryLink link, string address, IActorRef replyTo) =>
        (_connecting ??= new Dictionary<InMemoryLink, (string, IActorRef)>(ReferenceEqualityComparer.Instance))[link] = (address, replyTo);

    private InMemoryLink NewLink(string remoteAddress)
    {
        foreach (var closed in _links.Keys.Where(l => l.IsClosed).ToList()) _links.Remove(closed);
        _side ??= new InMemoryLink.Side(Self.Path, ((ExtendedActorSystem)Context.System).Provider, Context.System.Scheduler, _network.Latency, _clock, _address,
            _network.Courier, Context.System);
        var link = new InMemoryLink(_side, ++_linksMade, remoteAddress);
        _links.RoomForOneMore(); // a new link: grown by a quarter, not doubled (its order is walked, so it is never trimmed)
        _links[link] = remoteAddress;
        return link;
    }

    /// <param name="scores">The node's score book, handed to every connection (in-memory links have no address: identities only).</param>
    /// <param name="framesPerSecond">Each peer's frame rate (<c>peer-rate</c>), as on TCP.</param>
    public static Props Props(InMemoryNetwork network, string address, PublicKey identity, TimeProvider clock, PeerScoreBook scores, double framesPerSecond, double burst,
        FrameScreen? screen = null) =>
        ActorFactory.Props(() => new InMemoryTransport(network, address, identity, clock, scores, framesPerSecond, burst, screen));

    protected override void PostStop() => _network.Unregister(_address, Self);

    private void OnConnect(Connect connect)
    {
        var replyTo = Sender;
        if (_offline)
        {
            replyTo.Tell(new ConnectFailed(connect.Address, "this node is offline"));
            return;
        }
        if (_network.Courier is { } courier)
        {
            // Whether a node answers there is learnt where it lives, when the offer arrives.
            var offeredLink = NewLink(connect.Address);
            Dialling(offeredLink, connect.Address, replyTo);
            courier.SendSetup(_address, connect.Address, null, new AcceptLink(_identity, offeredLink, _address), Self,
                new LinkRefused(offeredLink, "no node listens at that address"));
            return;
        }
        if (_network.Lookup(connect.Address) is not { } remote)
        {
            replyTo.Tell(new ConnectFailed(connect.Address, "no node listens at that address"));
            return;
        }
        var localLink = NewLink(connect.Address);
        Dialling(localLink, connect.Address, replyTo);
        remote.Tell(new AcceptLink(_identity, localLink, _address));
    }

    private void Answer(string toAddress, object answer)
    {
        if (_network.Courier is { } courier) courier.SendSetup(_address, toAddress, Sender, answer, Self, null);
        else Sender.Tell(answer);
    }

    private void OnAccept(AcceptLink accept)
    {
        if (_offline)
        {
            Answer(accept.FromAddress, new LinkRefused(accept.FromLink, "the node went offline"));
            return;
        }
        var link = NewLink(accept.FromAddress);
        if (_network.ConnectionsInLinkEnds) link.Pair(accept.FromLink, Session(accept.From, dialled: false));
        else link.Pair(accept.FromLink, Context.ActorOf(PeerConnection.Props(accept.From, link, _node, _clock, _scores, _framesPerSecond, _burst, _screen, drainTimeout: _drainTimeout)));
        Answer(accept.FromAddress, new LinkOffered(_identity, link, accept.FromLink));
    }

    private void OnOffered(LinkOffered offered)
    {
        if (!Connected(offered.ForLink, out var connecting)) return;
        // Gone offline, or our end closed while the offer travelled (the other node refused us, a sever): no connection
        // (it would be told Connected and send into nothing), and the other end's connection learns the link is down.
        if (_offline || offered.ForLink.IsClosed)
        {
            var reason = offered.ForLink.ClosedBecause ?? "this node went offline";
            offered.ForLink.Discard(reason, offered.PeerLink);
            connecting.ReplyTo.Tell(new ConnectFailed(connecting.Address, reason));
            return;
        }
        if (_network.ConnectionsInLinkEnds) offered.ForLink.Pair(offered.PeerLink, Session(offered.Peer, dialled: true));
        else offered.ForLink.Pair(offered.PeerLink,
            Context.ActorOf(PeerConnection.Props(offered.Peer, offered.ForLink, _node, _clock, _scores, _framesPerSecond, _burst, _screen, dialled: true, drainTimeout: _drainTimeout)));
        connecting.ReplyTo.Tell(new Connected(connecting.Address, offered.Peer));
    }

    private PeerSession Session(PublicKey peer, bool dialled) => new(peer, _node, _clock, _scores, _framesPerSecond, _burst, _screen, remote: null, dialled);
}
