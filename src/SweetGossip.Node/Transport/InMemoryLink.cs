using SweetGossip.Node.Core;
using Akka.Actor;
using SweetGossip.Node.Peers;

namespace SweetGossip.Node.Transport;

/// <summary>
/// One end of an in-process link: bytes written here arrive at the other end whole and in order, as
/// they would over an encrypted TCP link. Closing either end closes both. With a latency model each
/// frame is delayed on the scheduler (never before the one sent ahead of it, so order holds). An untyped
/// actor: a simulation has one per link end (8 per peer), and a receive actor's handler objects cost about 1 KB each.
/// </summary>
public sealed class InMemoryLink : UntypedActor
{
    public sealed record Pair(IActorRef OtherEnd, IActorRef Connection);

    /// <summary>Break the link from outside (simulated churn): both ends' connections learn it closed.</summary>
    public sealed record Sever(string Reason);

    private sealed record Deliver(byte[] Bytes);

    private sealed record OtherEndClosed(string Reason);

    private readonly ILinkLatency? _latency;
    private readonly IInMemoryCourier? _courier;
    private readonly TimeProvider _clock;
    private readonly string _from;
    private readonly string _to;
    private IActorRef? _otherEnd;
    private IActorRef? _connection;
    // Frames that came before this end was paired (rare): made only then.
    private List<byte[]>? _early;
    private DateTimeOffset _lastArrival = DateTimeOffset.MinValue;

    public InMemoryLink(ILinkLatency? latency, TimeProvider clock, string from, string to, IInMemoryCourier? courier = null) =>
        (_latency, _clock, _from, _to, _courier) = (latency, clock, from, to, courier);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Pair p:
                (_otherEnd, _connection) = (p.OtherEnd, p.Connection);
                foreach (var bytes in _early ?? []) _connection.Tell(new LinkFrameIn(bytes));
                _early = null;
                break;
            case LinkFrameOut m:
                ToOtherEnd(new Deliver(m.Bytes));
                break;
            case Deliver d:
                if (_connection is null) (_early ??= []).Add(d.Bytes);
                else _connection.Tell(new LinkFrameIn(d.Bytes));
                break;
            case CloseLink c:
                ToOtherEnd(new OtherEndClosed(c.Reason));
                Context.Stop(Self);
                break;
            case Sever c:
                ToOtherEnd(new OtherEndClosed(c.Reason));
                _connection?.Tell(new LinkClosed(c.Reason));
                Context.Stop(Self);
                break;
            case OtherEndClosed c:
                _connection?.Tell(new LinkClosed($"closed by the other end: {c.Reason}"));
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    public static Props Props(ILinkLatency? latency, TimeProvider clock, string from, string to, IInMemoryCourier? courier = null) =>
        ActorFactory.Props(() => new InMemoryLink(latency, clock, from, to, courier));

    private void ToOtherEnd(object message)
    {
        if (_otherEnd is null) return;
        if (_latency is null && _courier is null)
        {
            _otherEnd.Tell(message);
            return;
        }
        var now = _clock.GetUtcNow();
        var arrival = now + (_latency?.Next(_from, _to) ?? TimeSpan.Zero);
        if (arrival < _lastArrival) arrival = _lastArrival;
        _lastArrival = arrival;
        if (_courier is not null) _courier.Send(_from, _to, arrival, _otherEnd, message, Self);
        else Context.System.Scheduler.ScheduleTellOnce(arrival - now, _otherEnd, message, Self);
    }
}
