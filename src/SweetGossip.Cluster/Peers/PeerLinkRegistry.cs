using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cluster.Peers;

/// <summary>
/// This member's part of the hub-wide peer registry. Each link the member holds gets an entry actor registered with
/// DistributedPubSub (<see cref="Put"/>) at a path derived from the peer's key, so <see cref="SendToPeer"/> on any
/// member reaches the link through the mediator's <see cref="Send"/>. Nothing is dropped silently: a frame no link
/// takes comes back to its sender as <see cref="PeerUnreachable"/> (from the mediator's "no one registered" dead
/// letter, a lingering entry, or a link that stopped under it). A member's <see cref="PeerJudgedByMember"/> reaches the
/// link the same way, so the book of the member holding it scores the peer. Runs at the same path on every member.
/// A frame that finds no link (the peer's link closed a moment ago: it may be redialling this member or another) is
/// held a short while (<see cref="HoldSettings"/>) and offered again until a new link takes it or its deadline passes.
/// </summary>
public sealed class PeerLinkRegistry : ReceiveActor, IWithTimers
{
    public const string Name = "peer-links";
    private const string RetryTimer = "retry-held";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _mediator;
    private readonly int _maxLinks;
    private readonly TimeSpan _linger;
    private readonly Dictionary<PublicKey, Entry> _entries = [];
    private readonly Dictionary<IActorRef, PublicKey> _peerByLink = [];
    private readonly Dictionary<IActorRef, PublicKey> _peerByEntry = [];
    // Which peers the other members link to (null: no view, frames still reach a peer named by its key).
    private readonly IActorRef? _view;
    private readonly HoldSettings _hold;
    private readonly HeldFrames _held;
    // Held frames offered to the hub again, by reference (a dead letter here carries the very object sent): one that
    // comes back undelivered is held again until its first deadline, not a new one.
    private readonly Dictionary<PeerDelivery, DateTimeOffset> _retrying = new(ReferenceEqualityComparer.Instance);

    public PeerLinkRegistry(IActorRef mediator, int maxLinks, TimeSpan linger, PeerViewSettings? view, HoldSettings? hold)
    {
        _mediator = mediator;
        _maxLinks = maxLinks;
        _linger = linger;
        _hold = hold ?? HoldSettings.Off;
        _held = new HeldFrames(_hold.FramesPerPeer, _hold.Frames);
        if (view is not null) _view = Context.ActorOf(PeerLinkView.Props(mediator, view.Size, view.GossipInterval, view.Refresh), "view");
        Receive<SubscribeHubPeers>(subscribe =>
        {
            if (_view is null) subscribe.Subscriber.Tell(HubPeers.None);
            else _view.Forward(subscribe);
        });
        Receive<SendToPeer>(Send);
        Receive<PeerJudgedByMember>(Judged);
        Receive<RegisterPeerLink>(register => Register(register.Peer, register.Link));
        Receive<UnregisterPeerLink>(Unregister);
        Receive<PeerEntryIdle>(idle => StopIdle(idle.Peer));
        Receive<Terminated>(OnTerminated);
        Receive<AllDeadLetters>(OnDeadLetter);
        Receive<HoldForLink>(hold => Hold(hold.Delivery, Sender, hold.Reason));
        Receive<RetryHeld>(_ => OnRetryHeld());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef mediator, int maxLinks, TimeSpan linger, PeerViewSettings? view = null, HoldSettings? hold = null) =>
        Akka.Actor.Props.Create(() => new PeerLinkRegistry(mediator, maxLinks, linger, view, hold));

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(AllDeadLetters));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private string PathOf(PublicKey peer) => $"{Self.Path.ToStringWithoutAddress()}/{PeerLinkEntry.NameOf(peer)}";

    private void Send(SendToPeer send) => Deliver(new PeerDelivery(send.Peer, send.Frame), Sender);

    private void Deliver(PeerDelivery delivery, IActorRef sender)
    {
        if (_entries.TryGetValue(delivery.Peer, out var entry) && entry.Link is { } link)
            link.Tell(delivery, sender);
        else
            _mediator.Tell(new Send(PathOf(delivery.Peer), delivery, localAffinity: false), sender);
    }

    // ------------------------------------------------------------------ frames held while a link moves

    /// <summary>
    /// A frame no link took: held until a link to its peer registers or its deadline passes, then answered
    /// <see cref="PeerUnreachable"/>. Past the bounds (per peer, per member) it is answered at once, as before.
    /// </summary>
    private void Hold(PeerDelivery delivery, IActorRef sender, string reason)
    {
        var now = Now;
        // A frame another member held and offered again keeps that first deadline (no fresh one at each member it reaches).
        var until = _retrying.Remove(delivery, out var first) ? first
            : delivery.HeldUntil is { } earlier && earlier < now + _hold.For ? earlier : now + _hold.For;
        // Frames being retried count against their peer's bound too, not only against the member's.
        var retryingForPeer = _retrying.Keys.Count(retried => retried.Peer.Equals(delivery.Peer));
        if (_hold.For <= TimeSpan.Zero || until <= now
            || !_held.TryHold(new HeldFrame(delivery, sender, until, reason), elsewhere: _retrying.Count, elsewhereForPeer: retryingForPeer))
        {
            sender.Tell(new PeerUnreachable(delivery.Peer, delivery.Frame, reason));
            return;
        }
        // The old link's frame came back after the new link registered here: it goes there now.
        if (_entries.TryGetValue(delivery.Peer, out var entry) && entry.Link is { } link)
        {
            DeliverHeld(delivery.Peer, link);
            return;
        }
        if (!Timers.IsTimerActive(RetryTimer)) Timers.StartPeriodicTimer(RetryTimer, RetryHeld.Instance, _hold.RetryInterval);
    }

    private void DeliverHeld(PublicKey peer, IActorRef link)
    {
        foreach (var held in _held.Take(peer)) link.Tell(held.Delivery, held.Sender);
    }

    /// <summary>
    /// Each held frame is offered to the hub again (a link on another member is learnt by pub-sub gossip); one that finds
    /// no link again comes back here as a dead letter (or to a member whose entry lingers) and is held again.
    /// </summary>
    private void OnRetryHeld()
    {
        var now = Now;
        // Kept a round past their deadline: one coming back late is then answered, not held afresh.
        foreach (var gone in _retrying.Where(r => r.Value + _hold.RetryInterval <= now).Select(r => r.Key).ToList()) _retrying.Remove(gone);
        foreach (var held in _held.TakeAll())
        {
            if (held.Until <= now)
                held.Sender.Tell(new PeerUnreachable(held.Delivery.Peer, held.Delivery.Frame, held.Reason));
            else if (_entries.TryGetValue(held.Delivery.Peer, out var entry) && entry.Link is { } link)
                link.Tell(held.Delivery, held.Sender);
            else
            {
                var retried = held.Delivery with { HeldUntil = held.Until };
                _retrying[retried] = held.Until;
                _mediator.Tell(new Send(PathOf(retried.Peer), retried, localAffinity: false), held.Sender);
            }
        }
        if (_held.Count == 0 && _retrying.Count == 0) Timers.Cancel(RetryTimer);
    }

    /// <summary>Another member's (or this member's) judgement of a peer: to the link holding it, wherever it is.</summary>
    private void Judged(PeerJudgedByMember judged)
    {
        if (_entries.TryGetValue(judged.Peer, out var entry) && entry.Link is { } link)
            link.Forward(judged);
        else
            _mediator.Tell(new Send(PathOf(judged.Peer), judged, localAffinity: false), Sender);
    }

    private void Register(PublicKey peer, IActorRef link)
    {
        if (_entries.TryGetValue(peer, out var entry))
        {
            if (entry.Stopping)
            {
                // The entry's name is taken until it has stopped: register then.
                entry.Pending = link;
                return;
            }
            if (entry.Link is { } old && !old.Equals(link)) Forget(old);
            Link(peer, entry, link);
            return;
        }
        if (_entries.Count >= _maxLinks)
        {
            _log.Warning("Peer {0}: not registered hub-wide, this member already registers {1} links (peer-links.max-links)", peer, _maxLinks);
            return;
        }
        var actor = Context.ActorOf(PeerLinkEntry.Props(peer, link, _linger), PeerLinkEntry.NameOf(peer));
        Context.Watch(actor);
        _peerByEntry[actor] = peer;
        var created = new Entry(actor);
        _entries[peer] = created;
        Link(peer, created, link);
    }

    private void Link(PublicKey peer, Entry entry, IActorRef link)
    {
        entry.Link = link;
        _peerByLink[link] = peer;
        Context.Watch(link);
        entry.Actor.Tell(new RetargetLink(link));
        _mediator.Tell(new Put(entry.Actor));
        _view?.Tell(new LocalLinkUp(peer));
        DeliverHeld(peer, link);
    }

    private void Unregister(UnregisterPeerLink unregister)
    {
        if (!_entries.TryGetValue(unregister.Peer, out var entry)) return;
        if (entry.Pending is { } pending && pending.Equals(unregister.Link)) entry.Pending = null;
        if (entry.Link is { } link && link.Equals(unregister.Link)) Unlink(entry, link);
    }

    private void Unlink(Entry entry, IActorRef link)
    {
        Forget(link);
        entry.Link = null;
        entry.Actor.Tell(new RetargetLink(null));
        _mediator.Tell(new Remove(entry.Actor.Path.ToStringWithoutAddress()));
        if (_peerByEntry.TryGetValue(entry.Actor, out var peer)) _view?.Tell(new LocalLinkDown(peer));
    }

    private void Forget(IActorRef link)
    {
        Context.Unwatch(link);
        _peerByLink.Remove(link);
    }

    private void StopIdle(PublicKey peer)
    {
        if (!_entries.TryGetValue(peer, out var entry) || entry.Link is not null || entry.Stopping) return;
        entry.Stopping = true;
        Context.Stop(entry.Actor);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (_peerByLink.TryGetValue(terminated.ActorRef, out var peer))
        {
            if (_entries.TryGetValue(peer, out var entry) && entry.Link is { } link && link.Equals(terminated.ActorRef)) Unlink(entry, link);
            else _peerByLink.Remove(terminated.ActorRef);
            return;
        }
        if (_peerByEntry.Remove(terminated.ActorRef, out peer) && _entries.Remove(peer, out var stopped) && stopped.Pending is { } pending)
            Register(peer, pending);
    }

    /// <summary>A <see cref="PeerDelivery"/> that reached no link ends in this member's dead letters: answer its sender.</summary>
    private void OnDeadLetter(AllDeadLetters dead)
    {
        if (Undelivered(dead) is not var (delivery, sender, noRoute)) return;
        if (sender.IsNobody() || sender.Equals(Context.System.DeadLetters))
        {
            _retrying.Remove(delivery);
            return;
        }
        Hold(delivery, sender, noRoute ? "no member of the hub holds a link to this peer" : "the member's link to this peer stopped");
    }

    /// <summary>
    /// The delivery inside a dead letter, and who sent it. The mediator's "no one registered" dead letter arrives
    /// wrapped (a dead letter of its own, around the <see cref="Send"/>); the innermost dead letter names the sender.
    /// </summary>
    private static (PeerDelivery Delivery, IActorRef Sender, bool NoRoute)? Undelivered(AllDeadLetters dead)
    {
        object message = dead;
        IActorRef? sender = null;
        var noRoute = false;
        for (var depth = 0; depth < 8; depth++)
        {
            switch (message)
            {
                case PeerDelivery delivery:
                    return sender is null ? null : (delivery, sender, noRoute);
                case AllDeadLetters letter:
                    sender = letter.Sender;
                    message = letter.Message;
                    break;
                case Send send:
                    noRoute = true;
                    message = send.Message;
                    break;
                case IWrappedMessage wrapped:
                    message = wrapped.Message;
                    break;
                default:
                    return null;
            }
        }
        return null;
    }

    /// <summary>
    /// How long and how many frames are held for peers no link takes (a link that just moved): <paramref name="For"/> per
    /// frame, <paramref name="FramesPerPeer"/> and <paramref name="Frames"/> at most, offered again every <paramref name="RetryInterval"/>.
    /// </summary>
    public sealed record HoldSettings(TimeSpan For, int FramesPerPeer, int Frames, TimeSpan RetryInterval)
    {
        /// <summary>Nothing held: a frame no link takes is answered at once.</summary>
        public static readonly HoldSettings Off = new(TimeSpan.Zero, 0, 0, TimeSpan.FromSeconds(1));
    }

    private sealed record RetryHeld
    {
        public static readonly RetryHeld Instance = new();
    }

    /// <summary>How this member shows its links to the others (<see cref="PeerLinkView"/>).</summary>
    public sealed record PeerViewSettings(int Size, TimeSpan GossipInterval, TimeSpan Refresh);

    private sealed class Entry(IActorRef actor)
    {
        public IActorRef Actor { get; } = actor;

        public IActorRef? Link { get; set; }

        /// <summary>A link registered while the entry was stopping.</summary>
        public IActorRef? Pending { get; set; }

        public bool Stopping { get; set; }
    }
}
