using Akka.Actor;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cluster.Peers;

/// <summary>
/// A peer's entry in the hub-wide registry: an actor at a path every member can compute from the peer's key
/// (<c>…/peer-links/peer-&lt;hex&gt;</c>), registered with DistributedPubSub, forwarding frames to the member's link.
/// Once the link closes it lingers, handing frames from members whose view is behind to its registry, which holds them a
/// moment for the peer's new link (the peer was linked here just now) and otherwise answers <see cref="PeerUnreachable"/>.
/// </summary>
internal sealed class PeerLinkEntry : ReceiveActor, IWithTimers
{
    private const string IdleTimer = "idle";
    private IActorRef? _link;

    public PeerLinkEntry(PublicKey peer, IActorRef link, TimeSpan linger)
    {
        _link = link;
        Receive<PeerDelivery>(delivery =>
        {
            if (_link is { } current) current.Forward(delivery);
            else Context.Parent.Forward(new HoldForLink(delivery, "the member's link to this peer closed"));
        });
        // A judgement for a link that closed is dropped: the judging member's book counts it, and no link here is left to cut.
        Receive<PeerJudgedByMember>(judged => _link?.Forward(judged));
        Receive<RetargetLink>(retarget =>
        {
            _link = retarget.Link;
            if (_link is null) Timers.StartSingleTimer(IdleTimer, new PeerEntryIdle(peer), linger);
            else Timers.Cancel(IdleTimer);
        });
        Receive<PeerEntryIdle>(idle => Context.Parent.Tell(idle));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PublicKey peer, IActorRef link, TimeSpan linger) =>
        Akka.Actor.Props.Create(() => new PeerLinkEntry(peer, link, linger));

    public static string NameOf(PublicKey peer) => "peer-" + Convert.ToHexStringLower(peer.Span);
}
