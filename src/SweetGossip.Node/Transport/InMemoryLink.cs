using Akka.Actor;
using Akka.Event;
using SweetGossip.Node.Peers;

namespace SweetGossip.Node.Transport;

/// <summary>
/// One end of an in-process link: bytes written here arrive at the other end whole and in order, as
/// they would over an encrypted TCP link. Closing either end closes both. With a latency model each
/// frame is delayed on the scheduler (never before the one sent ahead of it, so order holds).
/// Not an actor but an actor reference that acts as it is told (its state behind a lock on itself): a simulation has
/// one per link end (8 per peer), and an actor costs about 1.5 KB in Akka's cell, mailbox, props and
/// path, a link end about 150 bytes. Its connection talks to it as to any link (<see cref="LinkFrameOut"/>,
/// <see cref="CloseLink"/>), and hears <see cref="LinkClosed"/> when it closes; it never sends Terminated.
/// In the simulator (<see cref="InMemoryNetwork.ConnectionsInLinkEnds"/>) the end runs its connection's
/// <see cref="PeerSession"/> itself, in the thread that tells it, and is what the node knows the link by: a
/// <c>PeerConnection</c> actor per link end is another ≈ 1 KB of Akka per link.
/// </summary>
public sealed class InMemoryLink : MinimalActorRef, IAnnouncesClosing, IPeerSessionHost, IEquatable<IActorRef>
{
    /// <summary>A frame's bytes on their way to the other end (scheduled at the frame's arrival).</summary>
    private sealed record Deliver(byte[] Bytes);

    private sealed record OtherEndClosed(string Reason);

    /// <summary>What all the link ends of one transport share (one object per node, not seven fields per link end).</summary>
    /// <param name="TransportPath">The transport's path; its links' paths are under it.</param>
    /// <param name="From">The transport's address.</param>
    public sealed record Side(ActorPath TransportPath, IActorRefProvider Provider, IScheduler Scheduler, ILinkLatency? Latency, TimeProvider Clock, string From,
        IInMemoryCourier? Courier, ActorSystem System)
    {
        private ILoggingAdapter? _logger;

        /// <summary>The sessions' logger, one per transport, made when first used (most links never log).</summary>
        public ILoggingAdapter Logger
        {
            get
            {
                lock (this) return _logger ??= Logging.GetLogger(System, TransportPath.ToString());
            }
        }
    }

    private readonly Side _side;
    private readonly long _number;
    private readonly string _to;
    private ActorPath? _path;
    private InMemoryLink? _otherEnd;
    private IActorRef? _connection;
    // The connection run in this end (the simulator), instead of an actor.
    private PeerSession? _session;
    // Frames that came before this end was paired (rare): made only then.
    private List<byte[]>? _early;
    private DateTimeOffset _lastArrival = DateTimeOffset.MinValue;
    // Why this end closed (null while open): kept for a connection that comes after the close (see Pair).
    private string? _closedBecause;
    // The other end closed first: it needs no telling (nor a message through the latency model, which would shift a seeded run).
    private bool _closedByOtherEnd;

    /// <param name="number">Unique among the transport's links (actor references are equal by path).</param>
    /// <param name="to">The address at the other end.</param>
    public InMemoryLink(Side side, long number, string to) => (_side, _number, _to) = (side, number, to);

    public override IActorRefProvider Provider => _side.Provider;

    // Unique by object (no other reference has its path): a comparison makes no path (≈ 100 bytes per end if made).
    public new bool Equals(IActorRef? other) => ReferenceEquals(this, other);

    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    public override int GetHashCode() => base.GetHashCode();

    IActorRef IPeerSessionHost.Self => this;

    ILoggingAdapter IPeerSessionHost.Logger => _side.Logger;

    IActorRef IPeerSessionHost.DeadLetters => _side.Provider.DeadLetters;

    void IPeerSessionHost.SendBytes(byte[] bytes)
    {
        if (!IsClosed) ToOtherEnd(new Deliver(bytes));
    }

    void IPeerSessionHost.CloseLink(string reason) => Close(reason);

    // The session ended (its flag drops whatever comes after): the peer's standing is let go at once, as an actor's PostStop would.
    void IPeerSessionHost.Stop() => _session?.Closed();

    // Made when first asked for (logging, an actor-keyed map): a path and its name are about 100 bytes per link end.
    public override ActorPath Path
    {
        get
        {
            lock (this) return _path ??= _side.TransportPath / ("link-" + _number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>This end has closed (by its connection, the other end, or a sever); it carries nothing more.</summary>
    public bool IsClosed
    {
        get
        {
            lock (this) return _closedBecause is not null;
        }
    }

    /// <summary>Why this end closed; null while it is open.</summary>
    public string? ClosedBecause
    {
        get
        {
            lock (this) return _closedBecause;
        }
    }

    /// <summary>
    /// Joins this end to the other end and to its connection; frames that came first go to the connection now. If this end
    /// closed first (the other end, a sever), the connection and the other end learn it now: a link end is not an actor its
    /// connection could watch, so a close nobody heard would leave a connection that sends into nothing.
    /// </summary>
    public void Pair(InMemoryLink otherEnd, IActorRef connection)
    {
        List<byte[]>? early;
        string? closedBecause;
        bool tellOtherEnd;
        lock (this)
        {
            (closedBecause, tellOtherEnd) = (_closedBecause, !_closedByOtherEnd);
            (_otherEnd, _connection, early, _early) = (otherEnd, connection, _early, null);
            if (closedBecause is null)
                foreach (var bytes in early ?? []) connection.Tell(new LinkFrameIn(bytes));
        }
        if (closedBecause is null) return;
        if (tellOtherEnd) ToOtherEnd(new OtherEndClosed(closedBecause));
        connection.Tell(new LinkClosed(closedBecause));
    }

    /// <summary>
    /// Joins this end to the other end and runs <paramref name="session"/> in it (the simulator): the session admits the peer
    /// and announces the link to the node now, then hears the frames that came first, or that the link closed.
    /// </summary>
    public void Pair(InMemoryLink otherEnd, PeerSession session)
    {
        lock (this)
        {
            var (closedBecause, tellOtherEnd) = (_closedBecause, !_closedByOtherEnd);
            List<byte[]>? early;
            (_otherEnd, _session, early, _early) = (otherEnd, session, _early, null);
            session.Open(this);
            if (closedBecause is null)
            {
                foreach (var bytes in early ?? []) session.FrameIn(bytes);
                return;
            }
            if (tellOtherEnd) ToOtherEnd(new OtherEndClosed(closedBecause));
            session.Stop(closedBecause, closeLink: false);
        }
    }

    /// <summary>Breaks the link from outside (simulated churn): both ends' connections learn it closed.</summary>
    public void Sever(string reason)
    {
        IActorRef? connection;
        lock (this)
        {
            if (_closedBecause is not null) return;
            _closedBecause = reason;
            connection = _connection;
        }
        ToOtherEnd(new OtherEndClosed(reason));
        connection?.Tell(new LinkClosed(reason));
        ClosedUnderSession(reason);
    }

    // A session in this end hears the close as its actor would hear LinkClosed.
    private void ClosedUnderSession(string reason)
    {
        if (_session is null) return;
        lock (this) _session.Stop(reason, closeLink: false);
    }

    /// <summary>
    /// Closes this end, which will have no connection (the dial was refused or given up); the other end, if there is one,
    /// learns it closed, since its connection may already be up.
    /// </summary>
    public void Discard(string reason, InMemoryLink? otherEnd = null)
    {
        lock (this)
        {
            if (_closedByOtherEnd) return;
            _closedBecause ??= reason;
            _otherEnd ??= otherEnd;
            reason = _closedBecause;
        }
        ToOtherEnd(new OtherEndClosed(reason));
    }

    protected override void TellInternal(object message, IActorRef sender)
    {
        switch (message)
        {
            case LinkFrameOut m:
                if (!IsClosed) ToOtherEnd(new Deliver(m.Bytes));
                break;
            case Deliver d:
                lock (this)
                {
                    if (_closedBecause is not null) return;
                    if (_session is not null) _session.FrameIn(d.Bytes);
                    else if (_connection is null) (_early ??= []).Add(d.Bytes);
                    else _connection.Tell(new LinkFrameIn(d.Bytes));
                }
                break;
            case CloseLink c:
                Close(c.Reason);
                break;
            case OtherEndClosed c:
                IActorRef? connection;
                var reason = $"closed by the other end: {c.Reason}";
                lock (this)
                {
                    if (_closedBecause is not null) return;
                    (_closedBecause, _closedByOtherEnd) = (reason, true);
                    connection = _connection;
                }
                connection?.Tell(new LinkClosed(reason));
                ClosedUnderSession(reason);
                break;
            // The node's messages to its connection, when the connection is this end's session.
            default:
                lock (this)
                {
                    if (_session is { IsStopped: false } session) session.Handle(message, sender);
                }
                break;
        }
    }

    private void Close(string reason)
    {
        lock (this)
        {
            if (_closedBecause is not null) return;
            _closedBecause = reason;
        }
        ToOtherEnd(new OtherEndClosed(reason));
    }

    // Outside this end's lock: without a latency the other end acts at once, and takes its own lock.
    private void ToOtherEnd(object message)
    {
        var (latency, courier) = (_side.Latency, _side.Courier);
        InMemoryLink? otherEnd;
        DateTimeOffset now = default, arrival = default;
        lock (this)
        {
            otherEnd = _otherEnd;
            if (otherEnd is null) return;
            if (latency is not null || courier is not null)
            {
                now = _side.Clock.GetUtcNow();
                arrival = now + (latency?.Next(_side.From, _to) ?? TimeSpan.Zero);
                if (arrival < _lastArrival) arrival = _lastArrival;
                _lastArrival = arrival;
            }
        }
        if (latency is null && courier is null) otherEnd.Tell(message, this);
        else if (courier is not null) courier.Send(_side.From, _to, arrival, otherEnd, message, this);
        else _side.Scheduler.ScheduleTellOnce(arrival - now, otherEnd, message, this);
    }
}
