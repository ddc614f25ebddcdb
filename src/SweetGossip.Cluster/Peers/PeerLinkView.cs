using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cluster.Peers;

/// <summary>
/// This member's view of the peers the whole hub links to, so a topic owned here can ask a peer whose link another
/// member holds (issue 12: any member reaches any peer). Each member publishes a sample of its own links (at most
/// <c>view-size</c>, drawn afresh each time when it has more) on a pub-sub topic when they change, at most once a gossip
/// interval, and all of them every refresh interval (so a member that just joined learns them); it keeps the last
/// sample of each member that is Up and reachable, and tells its subscribers (the node) the union. Bounded: members ×
/// view-size peers, every sample checked against <see cref="MemberPeerLinks.MaxPeers"/>.
/// </summary>
internal sealed class PeerLinkView : ReceiveActor, IWithTimers
{
    public const string Topic = "sweetgossip-peer-links";
    private const int MaxSubscribers = 16;
    private const string PublishTimer = "publish";
    private const string RefreshTimer = "refresh";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _mediator;
    private readonly int _viewSize;
    private readonly Address _self = Akka.Cluster.Cluster.Get(Context.System).SelfAddress;
    private readonly HashSet<PublicKey> _local = [];
    private readonly List<PublicKey> _localOrder = [];
    private readonly HashSet<Address> _members = [];
    private readonly Dictionary<Address, IReadOnlyList<PublicKey>> _remote = [];
    private readonly HashSet<IActorRef> _subscribers = [];
    private HubPeers _current = HubPeers.None;
    private bool _dirty = true;

    public PeerLinkView(IActorRef mediator, int viewSize, TimeSpan gossipInterval, TimeSpan refresh)
    {
        _mediator = mediator;
        _viewSize = Math.Min(viewSize, MemberPeerLinks.MaxPeers);
        Receive<LocalLinkUp>(up =>
        {
            if (_local.Add(up.Peer)) { _localOrder.Add(up.Peer); Changed(); }
        });
        Receive<LocalLinkDown>(down =>
        {
            if (_local.Remove(down.Peer)) { _localOrder.Remove(down.Peer); Changed(); }
        });
        Receive<MemberPeerLinks>(OnMemberLinks);
        Receive<SubscribeHubPeers>(OnSubscribe);
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<ClusterEvent.MemberUp>(up => MemberIn(up.Member.Address));
        Receive<ClusterEvent.ReachableMember>(back => { if (back.Member.Status == MemberStatus.Up) MemberIn(back.Member.Address); });
        Receive<ClusterEvent.UnreachableMember>(gone => MemberOut(gone.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(gone => MemberOut(gone.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<SubscribeAck>(_ => _dirty = true);
        Receive<Tick>(tick =>
        {
            if (tick.Refresh) _dirty = true;
            if (_dirty) Publish();
        });
        Timers.StartPeriodicTimer(PublishTimer, new Tick(false), gossipInterval);
        Timers.StartPeriodicTimer(RefreshTimer, new Tick(true), refresh);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef mediator, int viewSize, TimeSpan gossipInterval, TimeSpan refresh) =>
        Akka.Actor.Props.Create(() => new PeerLinkView(mediator, viewSize, gossipInterval, refresh));

    protected override void PreStart()
    {
        _mediator.Tell(new Subscribe(Topic, Self));
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Changed()
    {
        _dirty = true;
        Recompute(); // a peer this member links to now is no longer reached through another member
    }

    private void MemberIn(Address member)
    {
        if (member == _self || !_members.Add(member)) return;
        _dirty = true; // the newcomer has no sample of this member's yet
    }

    private void MemberOut(Address member)
    {
        _members.Remove(member);
        if (_remote.Remove(member)) Recompute();
    }

    private void OnMemberLinks(MemberPeerLinks links)
    {
        if (links.Member == _self) return;
        // Its sample may come before this member's cluster events say it is Up: the cluster's state decides then.
        if (!_members.Contains(links.Member) && Akka.Cluster.Cluster.Get(Context.System).State.Members
                .Any(m => m.Address == links.Member && m.Status == MemberStatus.Up))
            _members.Add(links.Member);
        if (!_members.Contains(links.Member))
        {
            _log.Debug("peer links of {0} ignored: not an Up, reachable member here", links.Member);
            return;
        }
        if (links.Peers.Count > MemberPeerLinks.MaxPeers) return; // the serializer refuses these already
        _remote[links.Member] = links.Peers;
        Recompute();
    }

    private void OnSubscribe(SubscribeHubPeers subscribe)
    {
        if (_subscribers.Count >= MaxSubscribers && !_subscribers.Contains(subscribe.Subscriber))
        {
            _log.Warning("hub peer view: {0} subscribers already; {1} not subscribed", MaxSubscribers, subscribe.Subscriber);
            return;
        }
        if (_subscribers.Add(subscribe.Subscriber)) Context.Watch(subscribe.Subscriber);
        subscribe.Subscriber.Tell(_current);
    }

    private void Recompute()
    {
        var union = new HashSet<PublicKey>();
        foreach (var peers in _remote.Values)
            foreach (var peer in peers)
                if (!_local.Contains(peer)) union.Add(peer);
        if (union.SetEquals(_current.Peers)) return;
        _current = new HubPeers([.. union]);
        foreach (var subscriber in _subscribers) subscriber.Tell(_current);
    }

    private void Publish()
    {
        _dirty = false;
        IReadOnlyList<PublicKey> sample = _localOrder.Count <= _viewSize
            ? [.. _localOrder]
            : Protocol.Gossip.FanoutSelector.Choose(_localOrder, [], _viewSize, Random.Shared);
        _mediator.Tell(new Publish(Topic, new MemberPeerLinks(_self, sample)));
    }

    private sealed record Tick(bool Refresh);
}
