using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Node.Transport;

/// <summary>
/// A node's transport on an <see cref="InMemoryNetwork"/>: connects to addresses and accepts links,
/// creating a PeerConnection for each side exactly as the TCP transport does after its handshake.
/// Identities are exchanged, not proven: everything in one process is one trust domain.
/// </summary>
public sealed class InMemoryTransport : ReceiveActor, IWithUnboundedStash
{
    private sealed record AcceptLink(PublicKey From, IActorRef FromLink);

    private sealed record LinkAccepted(PublicKey Peer, IActorRef PeerLink, IActorRef LocalLink, string Address, IActorRef ReplyTo);

    private readonly InMemoryNetwork _network;
    private readonly string _address;
    private readonly PublicKey _identity;
    private readonly TimeProvider _clock;
    private readonly PeerScoreParameters _scoring;
    private IActorRef _node = ActorRefs.Nobody;

    public InMemoryTransport(InMemoryNetwork network, string address, PublicKey identity, TimeProvider clock, PeerScoreParameters scoring)
    {
        (_network, _address, _identity, _clock, _scoring) = (network, address, identity, clock, scoring);

        // Until the node attaches, nothing can be reported to it: keep links waiting.
        Receive<AttachNode>(a =>
        {
            _node = a.Node;
            Become(Attached);
            Stash.UnstashAll();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    private void Attached()
    {
        Receive<Connect>(OnConnect);
        Receive<AcceptLink>(OnAccept);
        Receive<LinkAccepted>(OnAccepted);
    }

    public static Props Props(InMemoryNetwork network, string address, PublicKey identity, TimeProvider clock, PeerScoreParameters scoring) =>
        Akka.Actor.Props.Create(() => new InMemoryTransport(network, address, identity, clock, scoring));

    protected override void PostStop() => _network.Unregister(_address, Self);

    private void OnConnect(Connect connect)
    {
        var replyTo = Sender;
        if (_network.Lookup(connect.Address) is not { } remote)
        {
            replyTo.Tell(new ConnectFailed(connect.Address, "no node listens at that address"));
            return;
        }
        var localLink = Context.ActorOf(Akka.Actor.Props.Create<InMemoryLink>());
        remote.Ask<object>(new AcceptLink(_identity, localLink), TimeSpan.FromSeconds(10))
            .PipeTo(Self, success: r => r is (PublicKey peer, IActorRef peerLink)
                ? new LinkAccepted(peer, peerLink, localLink, connect.Address, replyTo)
                : new Status.Failure(new InvalidOperationException("unexpected answer")));
    }

    private void OnAccept(AcceptLink accept)
    {
        var link = Context.ActorOf(Akka.Actor.Props.Create<InMemoryLink>());
        var connection = Context.ActorOf(PeerConnection.Props(accept.From, link, _node, _clock, _scoring));
        link.Tell(new InMemoryLink.Pair(accept.FromLink, connection));
        Sender.Tell((_identity, link));
    }

    private void OnAccepted(LinkAccepted accepted)
    {
        var connection = Context.ActorOf(PeerConnection.Props(accepted.Peer, accepted.LocalLink, _node, _clock, _scoring));
        accepted.LocalLink.Tell(new InMemoryLink.Pair(accepted.PeerLink, connection));
        accepted.ReplyTo.Tell(new Connected(accepted.Address, accepted.Peer));
    }
}
