using Akka.Actor;
using Akka.Event;
using SweetGossip.Node.Core;

namespace SweetGossip.Node.Hosting;

/// <summary>
/// What became of the topics a hosted node originated, for its operator: each offer as it arrives
/// (<see cref="ReplyArrived"/>) and each offer paid and opened (<see cref="ReplyDelivered"/>), newest last,
/// at most <see cref="Capacity"/>.
/// </summary>
public sealed class ReplyLog : ReceiveActor
{
    public const int Capacity = 1000;

    /// <summary>Ask for <see cref="ReplyLogSnapshot"/>.</summary>
    public sealed record Get
    {
        public static readonly Get Instance = new();
    }

    private readonly IActorRef _node;
    private readonly TimeProvider _clock;
    private readonly Queue<ReplyLogEntry> _entries = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ReplyLog(IActorRef node, TimeProvider clock)
    {
        (_node, _clock) = (node, clock);
        Receive<ReplyArrived>(a =>
        {
            _log.Info("offer arrived for payload {0} via {1}", a.PayloadId, a.Via.ToHex()[..12]);
            Add(a);
        });
        Receive<ReplyDelivered>(d =>
        {
            _log.Info("reply delivered for payload {0}: \"{1}\" from {2}, paid {3} msat{4}", d.PayloadId, d.Message, d.ContactAddress, d.PaidMsat,
                d.Recovered ? " (delivered before the restart; read back from the journal)" : "");
            Add(d);
        });
        Receive<Get>(_ => Sender.Tell(new ReplyLogSnapshot([.. _entries])));
    }

    public static Props Props(IActorRef node, TimeProvider clock) => ActorFactory.Props(() => new ReplyLog(node, clock));

    protected override void PreStart() => _node.Tell(new SubscribeReplies(Self, IncludeArrivals: true));

    private void Add(object reply)
    {
        if (_entries.Count == Capacity) _entries.Dequeue();
        _entries.Enqueue(new ReplyLogEntry(_clock.GetUtcNow(), reply));
    }
}

/// <summary>One event of a <see cref="ReplyLog"/>: a <see cref="ReplyArrived"/> or a <see cref="ReplyDelivered"/>.</summary>
public sealed record ReplyLogEntry(DateTimeOffset At, object Reply);

public sealed record ReplyLogSnapshot(IReadOnlyList<ReplyLogEntry> Entries);
