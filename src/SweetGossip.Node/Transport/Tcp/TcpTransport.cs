using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using AkkaTcp = Akka.IO.Tcp;
using SweetGossip.Node.Core;
using SweetGossip.Node.Observation;
using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Node.Transport.Tcp;

/// <summary>
/// A node's transport over TCP (Akka.IO), with the same contract as the in-memory one: listens and
/// accepts, dials on <see cref="Connect"/>, and makes a PeerConnection for every link whose handshake
/// proved the peer's identity. Static peers (<see cref="Connect.Reconnect"/>) are redialled with
/// exponential backoff whenever their link drops. Inbound connections are capped per address prefix (all of
/// them, and those still in the handshake) and over all addresses (the same two); a connection over a cap is
/// aborted as it is accepted, before any byte of it is read, with a warning naming the address, its prefix and the cap.
/// States: <c>Binding</c> → <c>Running</c>, or <c>Failed</c>
/// when the listen endpoint cannot be bound.
/// </summary>
public sealed class TcpTransport : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private sealed record Redial(string Address);

    /// <summary>An outbound link and who asked for it.</summary>
    private sealed class DialState(string address, IActorRef replyTo, bool reconnect)
    {
        public string Address { get; } = address;
        public IActorRef ReplyTo { get; } = replyTo;
        public bool Reconnect { get; } = reconnect;
        public bool Authenticated { get; set; }
    }

    /// <summary>An inbound connection's address prefix, and whether its handshake is still in progress.</summary>
    private sealed class InboundState(IPAddress ip, IPNetwork prefix)
    {
        public IPAddress Ip { get; } = ip;
        public IPNetwork Prefix { get; } = prefix;
        public bool Handshaking { get; set; } = true;
    }

    /// <summary>What one address prefix holds now.</summary>
    private sealed class PrefixLoad
    {
        public int Connections { get; set; }
        public int Handshakes { get; set; }
    }

    private readonly TcpTransportSettings _settings;
    private readonly PrivateKey _identity;
    private readonly TimeProvider _clock;
    private readonly PeerScoreBook _scores;
    private readonly double _framesPerSecond;
    private readonly double _burst;
    private readonly FrameScreen? _screen;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, DialState> _dials = [];
    private readonly Dictionary<string, ReconnectBackoff> _backoff = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, InboundState> _inbound = [];
    // Only prefixes holding a connection have an entry: bounded by max-inbound.
    private readonly Dictionary<IPNetwork, PrefixLoad> _loadByPrefix = [];
    private int _handshakes;
    // One link per peer: the authenticated link kept for each peer, and the static dials parked because another
    // link to the same peer was kept instead (all redialled if that link ends: a hub listed at several member
    // addresses is reached again at whichever still answers). At most one entry per static dial.
    private readonly Dictionary<PublicKey, (IActorRef Link, bool Dialled)> _linkOf = [];
    private readonly Dictionary<IActorRef, PublicKey> _peerOfLink = [];
    private readonly Dictionary<PublicKey, List<DialState>> _parked = [];
    // Each peer connection announces itself to the node (PeerConnected, from its PreStart) and the node keeps the last
    // one announced. Two connections started together for one peer announce in either order, so a replaced one could
    // announce last and take the peer down with it when it stops. A kept link's connection therefore starts only once
    // the peer's previous connection has stopped (its PeerDisconnected is in the node's mailbox by then).
    private readonly Dictionary<PublicKey, IActorRef> _connectionOf = [];
    private readonly Dictionary<IActorRef, PublicKey> _peerOfConnection = [];
    private readonly Dictionary<PublicKey, (IActorRef Link, IPAddress? Remote)> _awaitingConnection = [];
    private IActorRef _node = ActorRefs.Nobody;
    // The node answers the drain handshake of closed links: their connections hand back late frames this long at most.
    private TimeSpan? _drainTimeout;
    private IActorRef _listener = ActorRefs.Nobody;
    private Listening? _listening;

    public TcpTransport(TcpTransportSettings settings, PrivateKey identity, TimeProvider clock, PeerScoreBook scores, double framesPerSecond, double burst, FrameScreen? screen)
    {
        _screen = screen;
        (_settings, _identity, _clock, _scores, _framesPerSecond, _burst) = (settings.Validated(), identity, clock, scores, framesPerSecond, burst);
        Become(Binding);
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="scores">The node's score book, handed to every peer connection; a banned address prefix is refused here, before its handshake.</param>
    /// <param name="screen">The node's frame screen, handed to every peer connection; null in transport-only tests.</param>
    public static Props Props(TcpTransportSettings settings, PrivateKey identity, TimeProvider clock, PeerScoreBook scores, double framesPerSecond, double burst,
        FrameScreen? screen = null) =>
        ActorFactory.Props(() => new TcpTransport(settings, identity, clock, scores, framesPerSecond, burst, screen));

    /// <summary>Parses a listen endpoint: an IP literal or "localhost", and a port (0 = any free port).</summary>
    public static bool TryParseListen(string text, out IPEndPoint endPoint, out string error)
    {
        endPoint = null!;
        if (!PeerAddress.TryParse(text, out var address, out error)) return false;
        if (address.ExpectedIdentity is not null)
        {
            error = $"'{text}': a listen endpoint takes no identity";
            return false;
        }
        var ip = address.Host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(address.Host, out var parsed) ? parsed : null;
        if (ip is null)
        {
            error = $"'{text}': listen on an IP address (e.g. 127.0.0.1:9735 or 0.0.0.0:9735)";
            return false;
        }
        endPoint = new IPEndPoint(ip, address.Port);
        return true;
    }

    protected override void PreStart()
    {
        if (TryParseListen(_settings.Listen, out var endPoint, out var error))
            Context.System.Tcp().Tell(new AkkaTcp.Bind(Self, endPoint));
        else
            BindFailed(error);
    }

    protected override void PostStop() => _listener.Tell(AkkaTcp.Unbind.Instance);

    // A link or connection that throws is dropped, never restarted: a fresh handshake needs a fresh socket.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _log.Error(e, "link failed; dropping it");
        return Directive.Stop;
    });

    // ------------------------------------------------------------------ states

    private void Binding()
    {
        Receive<AkkaTcp.Bound>(bound =>
        {
            _listener = Sender;
            _listening = new Listening((IPEndPoint)bound.LocalAddress);
            _log.Info("listening on {0} as {1}", _listening.Address, _identity.PublicKey.ToHex());
            Become(Running);
            Stash.UnstashAll();
        });
        Receive<AkkaTcp.CommandFailed>(failed => BindFailed(TcpLink.CauseOf(failed, "the address is in use or not local")));
        ReceiveAny(_ => Stash.Stash());
    }

    private void BindFailed(string reason)
    {
        var message = $"cannot listen on {_settings.Listen}: {reason}";
        _log.Error(message);
        Become(() => Failed(message));
        Stash.UnstashAll();
    }

    private void Failed(string reason)
    {
        Receive<GetListenAddress>(_ => Sender.Tell(new ListenFailed(reason)));
        Receive<GetInboundCounts>(_ => Sender.Tell(InboundCounts.None));
        Receive<Connect>(c => Sender.Tell(new ConnectFailed(c.Address, reason)));
        ReceiveAny(_ => { });
    }

    private void Running()
    {
        Receive<GetListenAddress>(_ => Sender.Tell(_listening!));
        Receive<AttachNode>(a =>
        {
            (_node, _drainTimeout) = (a.Node, a.LinkDrainTimeout);
            Stash.UnstashAll();
        });
        Receive<GetInboundCounts>(_ => Sender.Tell(CountInbound()));
        Receive<GetRecordBuffers>(ForwardToLinks);
        Receive<GetPeerLinks>(_ => Sender.Tell(new PeerLinks(_linkOf.Count, _dials.Count, _parked.Values.Sum(p => p.Count))));
        Receive<AkkaTcp.Connected>(OnInbound);
        // Until the node attaches, connections cannot report to it.
        Receive<Connect>(_ => _node.IsNobody(), _ => Stash.Stash());
        Receive<LinkAuthenticated>(_ => _node.IsNobody(), _ => Stash.Stash());
        Receive<Connect>(OnConnect);
        Receive<Redial>(r => { if (!_dials.Values.Any(d => d.Address == r.Address)) Dial(r.Address, _node, reconnect: true); });
        Receive<LinkAuthenticated>(OnAuthenticated);
        Receive<LinkEnded>(OnLinkEnded);
        Receive<Terminated>(OnConnectionStopped);
    }

    // ------------------------------------------------------------------ links

    private void OnInbound(AkkaTcp.Connected connected)
    {
        var remote = (IPEndPoint)connected.RemoteAddress;
        var ip = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        var prefix = AddressPrefix.Network(ip, _settings.Ipv4PrefixLength, _settings.Ipv6PrefixLength);
        // The caps on load first, then the score book: a prefix banned for what its identities did.
        var overCap = RefusalOf(prefix);
        if ((overCap ?? _scores.RefusalOf(AddressPrefix.Of(ip), _clock.GetUtcNow())) is { } refusal)
        {
            NodeMetrics.HandshakeRefused(overCap is null ? HandshakeRefusal.Banned : HandshakeRefusal.Limit);
            _log.Warning("refusing inbound connection from {0} ({1}): {2}; closing it", ip, remote, refusal);
            Sender.Tell(AkkaTcp.Abort.Instance); // not registered, never read: the socket is reset at once
            return;
        }
        var link = Context.ActorOf(TcpLink.Inbound(Sender, remote, _identity, _settings));
        _inbound[link] = new InboundState(ip, prefix);
        if (!_loadByPrefix.TryGetValue(prefix, out var load)) _loadByPrefix[prefix] = load = new PrefixLoad();
        load.Connections++;
        load.Handshakes++;
        _handshakes++;
    }

    /// <summary>Which cap one more inbound connection from <paramref name="prefix"/> would break, or null.</summary>
    private string? RefusalOf(IPNetwork prefix)
    {
        var load = _loadByPrefix.GetValueOrDefault(prefix);
        if (load is not null && load.Connections >= _settings.MaxInboundPerPrefix)
            return $"{load.Connections} connections from {prefix} already, the cap (transport.max-inbound-per-prefix) is {_settings.MaxInboundPerPrefix}";
        if (load is not null && load.Handshakes >= _settings.MaxHandshakesPerPrefix)
            return $"{load.Handshakes} handshakes from {prefix} in progress, the cap (transport.max-handshakes-per-prefix) is {_settings.MaxHandshakesPerPrefix}";
        if (_inbound.Count >= _settings.MaxInbound)
            return $"{_inbound.Count} inbound connections already, the cap (transport.max-inbound) is {_settings.MaxInbound}";
        if (_handshakes >= _settings.MaxHandshakes)
            return $"{_handshakes} handshakes in progress from all addresses, the cap (transport.max-handshakes) is {_settings.MaxHandshakes}";
        return null;
    }

    /// <summary>An inbound link proved its peer: it holds a connection slot of its prefix, no longer a handshake slot.</summary>
    private void InboundAuthenticated(IActorRef link)
    {
        if (!_inbound.TryGetValue(link, out var state) || !state.Handshaking) return;
        state.Handshaking = false;
        _loadByPrefix[state.Prefix].Handshakes--;
        _handshakes--;
    }

    private void InboundEnded(IActorRef link)
    {
        if (!_inbound.Remove(link, out var state)) return;
        var load = _loadByPrefix[state.Prefix];
        load.Connections--;
        if (state.Handshaking)
        {
            load.Handshakes--;
            _handshakes--;
        }
        if (load.Connections == 0) _loadByPrefix.Remove(state.Prefix);
    }

    private InboundCounts CountInbound() => new(
        _handshakes,
        _inbound.Count,
        _loadByPrefix.ToDictionary(e => e.Key, e => new PrefixInbound(e.Value.Connections, e.Value.Handshakes)));

    /// <summary>Every link answers the asker itself.</summary>
    private void ForwardToLinks(GetRecordBuffers query)
    {
        foreach (var link in _inbound.Keys.Concat(_dials.Keys)) link.Forward(query);
    }

    private void OnConnect(Connect connect)
    {
        if (connect.Reconnect)
        {
            _backoff.TryAdd(connect.Address, new ReconnectBackoff(_settings.ReconnectMinBackoff, _settings.ReconnectMaxBackoff));
            if (_dials.Values.Any(d => d.Address == connect.Address && d.Reconnect)) return; // already kept up
        }
        Dial(connect.Address, Sender, connect.Reconnect);
    }

    private void Dial(string address, IActorRef replyTo, bool reconnect)
    {
        if (!PeerAddress.TryParse(address, out var parsed, out var error))
        {
            _log.Warning("not dialling {0}: {1}", address, error);
            replyTo.Tell(new ConnectFailed(address, error));
            return;
        }
        var link = Context.ActorOf(TcpLink.Outbound(parsed, _identity, _settings));
        _dials[link] = new DialState(address, replyTo, reconnect);
    }

    private void OnAuthenticated(LinkAuthenticated authenticated)
    {
        var link = Sender;
        InboundAuthenticated(link);
        if (!KeepsLink(authenticated.Peer, link)) return;
        // An inbound link's address prefix is scored with its identity; a peer we dialled is judged by its identity alone.
        var remote = _inbound.TryGetValue(link, out var inbound) ? inbound.Ip : null;
        if (_connectionOf.ContainsKey(authenticated.Peer)) _awaitingConnection[authenticated.Peer] = (link, remote);
        else StartConnection(authenticated.Peer, link, remote);
        if (!_dials.TryGetValue(link, out var dial)) return;
        dial.Authenticated = true;
        if (_backoff.TryGetValue(dial.Address, out var backoff)) backoff.Reset();
        dial.ReplyTo.Tell(new Connected(dial.Address, authenticated.Peer));
    }

    private void StartConnection(PublicKey peer, IActorRef link, IPAddress? remote)
    {
        var connection = Context.ActorOf(PeerConnection.Props(peer, link, _node, _clock, _scores, _framesPerSecond, _burst, _screen, remote, dialled: _dials.ContainsKey(link), drainTimeout: _drainTimeout));
        Context.Watch(connection);
        _connectionOf[peer] = connection;
        _peerOfConnection[connection] = peer;
        link.Tell(new AttachConnection(connection));
    }

    /// <summary>A peer connection stopped: the link kept meanwhile for that peer, if any, gets its connection now.</summary>
    private void OnConnectionStopped(Terminated terminated)
    {
        if (!_peerOfConnection.Remove(terminated.ActorRef, out var peer)) return;
        if (_connectionOf.TryGetValue(peer, out var current) && current.Equals(terminated.ActorRef)) _connectionOf.Remove(peer);
        if (!_awaitingConnection.Remove(peer, out var waiting)) return;
        if (_linkOf.TryGetValue(peer, out var kept) && kept.Link.Equals(waiting.Link)) StartConnection(peer, waiting.Link, waiting.Remote);
    }

    /// <summary>
    /// Two nodes that list each other dial each other: one link must go, and both ends must pick the same
    /// one without talking. The kept link is the one dialled by the peer with the lower key; between two
    /// links of the same direction, the newer (the older is likely dead). A static dial that loses is
    /// parked, not redialled, until the kept link ends. Returns whether <paramref name="link"/> is kept.
    /// </summary>
    private bool KeepsLink(PublicKey peer, IActorRef link)
    {
        var dialled = _dials.ContainsKey(link);
        if (_linkOf.TryGetValue(peer, out var existing))
        {
            var preferredDialledByUs = _identity.PublicKey.Span.SequenceCompareTo(peer.Span) < 0;
            var keepNew = dialled == preferredDialledByUs || existing.Dialled != preferredDialledByUs;
            var (loser, loserDialled) = keepNew ? (existing.Link, existing.Dialled) : (link, dialled);
            _log.Info("second link to {0}: keeping the one dialled by {1}", PeerConnection.Short(peer), (keepNew ? dialled : existing.Dialled) ? "us" : "them");
            if (loserDialled && _dials.Remove(loser, out var dial))
            {
                if (dial.Reconnect)
                {
                    if (!_parked.TryGetValue(peer, out var parked)) _parked[peer] = parked = [];
                    parked.Add(dial);
                }
                // A dial that loses at once still reached its peer (by the other link): say so, once.
                if (!dial.Authenticated) dial.ReplyTo.Tell(new Connected(dial.Address, peer));
            }
            _peerOfLink.Remove(loser);
            loser.Tell(new CloseLink("duplicate link to the same peer"));
            if (!keepNew) return false;
        }
        _linkOf[peer] = (link, dialled);
        _peerOfLink[link] = peer;
        return true;
    }

    private void OnLinkEnded(LinkEnded ended)
    {
        InboundEnded(Sender);
        if (_peerOfLink.TryGetValue(Sender, out var ending) && _awaitingConnection.TryGetValue(ending, out var waiting) && waiting.Link.Equals(Sender))
            _awaitingConnection.Remove(ending);
        if (_peerOfLink.Remove(Sender, out var peer) && _linkOf.TryGetValue(peer, out var kept) && kept.Link.Equals(Sender))
        {
            _linkOf.Remove(peer);
            if (_parked.Remove(peer, out var parked))
                foreach (var parkedDial in parked) Dial(parkedDial.Address, parkedDial.ReplyTo, reconnect: true);
        }
        if (!_dials.Remove(Sender, out var dial)) return;
        if (!dial.Reconnect)
        {
            if (!dial.Authenticated) dial.ReplyTo.Tell(new ConnectFailed(dial.Address, ended.Reason));
            return;
        }
        // A static peer: the transport keeps trying, so the node is not told of each failed attempt.
        var delay = _backoff[dial.Address].Next();
        _log.Info("static peer {0}: {1}; redialling in {2:0.#} s", dial.Address, ended.Reason, delay.TotalSeconds);
        Timers.StartSingleTimer("redial:" + dial.Address, new Redial(dial.Address), delay);
    }
}
