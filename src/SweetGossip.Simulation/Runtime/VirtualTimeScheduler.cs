using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace SweetGossip.Simulation.Runtime;

/// <summary>
/// Akka's scheduler on virtual time: nothing fires until the simulation advances the clock, and items
/// due at the same instant fire in the order they were scheduled. Timers, receive timeouts, the
/// latency of simulated links: all of it costs no wall time. Holds the <see cref="RunQueue"/> its
/// system's deterministic dispatchers run on (the scheduler is the one object Akka hands to both).
/// Configure with <c>akka.scheduler.implementation</c>; <c>sweetgossip.simulation.start-unix-ms</c> sets time zero.
/// </summary>
public sealed class VirtualTimeScheduler : SchedulerBase, IDateTimeOffsetNowTimeProvider
{
    private readonly PriorityQueue<Scheduled, (long DueTicks, long Sequence)> _due = new();
    private readonly Lock _sync = new();
    private readonly DateTimeOffset _start;
    private long _nowTicks;
    private long _sequence;
    // Items added since cancelled ones last let go of what they tell (see Add).
    private long _addedSinceSweep;

    public VirtualTimeScheduler(Config scheduler, ILoggingAdapter log) : base(scheduler, log)
    {
        _start = DateTimeOffset.FromUnixTimeMilliseconds(scheduler.GetLong("sweetgossip.simulation.start-unix-ms", 1_767_225_600_000));
    }

    public RunQueue Queue { get; } = new();

    /// <summary>The instant simulation time 0 stands for.</summary>
    public DateTimeOffset Start => _start;

    public DateTimeOffset Now => _start + TimeSpan.FromTicks(Interlocked.Read(ref _nowTicks));

    protected override DateTimeOffset TimeNow => Now;

    /// <summary>Time since the start.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _nowTicks));

    public override TimeSpan MonotonicClock => Elapsed;

    public override TimeSpan HighResMonotonicClock => Elapsed;

    public int ScheduledCount
    {
        get
        {
            lock (_sync) return _due.Count;
        }
    }

    /// <summary>When the next scheduled item is due (time since the start), if any.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            lock (_sync)
                return _due.TryPeek(out _, out var key) ? TimeSpan.FromTicks(key.DueTicks) : null;
        }
    }

    /// <summary>
    /// Moves the clock to the next due item if it is due no later than <paramref name="limit"/> and fires
    /// every item due then. Returns false (and moves the clock to <paramref name="limit"/>) if none is.
    /// </summary>
    public bool FireNext(TimeSpan limit)
    {
        long dueTicks;
        lock (_sync)
        {
            if (!_due.TryPeek(out _, out var key) || key.DueTicks > limit.Ticks)
            {
                if (limit.Ticks > _nowTicks) Interlocked.Exchange(ref _nowTicks, limit.Ticks);
                return false;
            }
            dueTicks = key.DueTicks;
            if (dueTicks > _nowTicks) Interlocked.Exchange(ref _nowTicks, dueTicks);
        }
        while (true)
        {
            Scheduled item;
            lock (_sync)
            {
                if (!_due.TryPeek(out item!, out var key) || key.DueTicks != dueTicks) break;
                _due.Dequeue();
                // The queue's array stays at its largest size (≈ 1 KB per peer in a 3,000-peer run): given back at a quarter full.
                // Keys are unique, so the order items come out in does not depend on the array.
                if (_due.Capacity > 1_024 && _due.Count < _due.Capacity / 4) _due.TrimExcess();
            }
            item.Fire(this);
        }
        return true;
    }

    /// <summary>Runs <paramref name="action"/> at <paramref name="due"/> (time since the start; not before now).</summary>
    public void ScheduleAt(TimeSpan due, Action action)
    {
        lock (_sync) _due.Enqueue(new Scheduled(action, null, null), (Math.Max(due.Ticks, _nowTicks), _sequence++));
    }

    /// <summary>Moves the clock to <paramref name="to"/>; nothing may be due before it.</summary>
    public void AdvanceTo(TimeSpan to)
    {
        lock (_sync)
        {
            if (_due.TryPeek(out _, out var key) && key.DueTicks < to.Ticks)
                throw new InvalidOperationException($"work is due at {TimeSpan.FromTicks(key.DueTicks)}, before {to}");
            if (to.Ticks > _nowTicks) Interlocked.Exchange(ref _nowTicks, to.Ticks);
        }
    }

    /// <summary>Forgets everything scheduled (the system is being abandoned).</summary>
    public void Clear()
    {
        lock (_sync) _due.Clear();
    }

    private void Add(TimeSpan delay, Scheduled item)
    {
        var ticks = Math.Max(0, delay.Ticks);
        lock (_sync)
        {
            _due.Enqueue(item, (_nowTicks + ticks, _sequence++));
            // A cancelled timer stays queued until its time (it then does nothing), and its message holds its actor: a
            // topic actor stopped early stayed in memory until its invoice's expiry. Once per as many additions as are
            // queued (amortised constant), cancelled items become one shared item that does nothing, under the same keys:
            // the same instants fire in the same order, and the clock takes the same steps.
            if (++_addedSinceSweep < Math.Max(1_024, _due.Count)) return;
            _addedSinceSweep = 0;
            var kept = new List<(Scheduled, (long, long))>(_due.Count);
            var cancelled = 0;
            foreach (var (queued, key) in _due.UnorderedItems)
            {
                var gone = queued.IsCancelled;
                if (gone) cancelled++;
                kept.Add((gone ? Scheduled.Nothing : queued, key));
            }
            if (cancelled == 0) return;
            _due.Clear();
            _due.EnqueueRange(kept);
        }
    }

    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Add(delay, new Scheduled(receiver, message, sender, null, cancelable));

    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Add(initialDelay, new Scheduled(receiver, message, sender, interval, cancelable));

    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        Add(delay, new Scheduled(action, null, cancelable));

    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        Add(delay, new Scheduled(action, null, cancelable));

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Add(initialDelay, new Scheduled(action, interval, cancelable));

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        Add(initialDelay, new Scheduled(action, interval, cancelable));

    /// <summary>
    /// One scheduled item: an action, a runnable, or a tell. A tell (every timer and scheduled message) keeps its
    /// receiver, message and sender here instead of in a closure and its delegate: one of these per timer started.
    /// </summary>
    private sealed class Scheduled
    {
        private readonly Action? _action;
        private readonly IRunnable? _runnable;
        private readonly ICanTell? _receiver;
        private readonly object? _message;
        private readonly IActorRef? _sender;
        private readonly TimeSpan? _interval;
        private readonly ICancelable? _cancelable;

        public Scheduled(Action action, TimeSpan? interval, ICancelable? cancelable) =>
            (_action, _interval, _cancelable) = (action, interval, cancelable);

        public Scheduled(IRunnable runnable, TimeSpan? interval, ICancelable? cancelable) =>
            (_runnable, _interval, _cancelable) = (runnable, interval, cancelable);

        public Scheduled(ICanTell receiver, object message, IActorRef sender, TimeSpan? interval, ICancelable? cancelable) =>
            (_receiver, _message, _sender, _interval, _cancelable) = (receiver, message, sender, interval, cancelable);

        /// <summary>What a cancelled item becomes in the queue: it fires, doing nothing, at the cancelled item's time.</summary>
        public static readonly Scheduled Nothing = new(static () => { }, null, null);

        public bool IsCancelled => _cancelable is { IsCancellationRequested: true };

        public void Fire(VirtualTimeScheduler scheduler)
        {
            if (_cancelable is { IsCancellationRequested: true }) return;
            if (_receiver is not null) _receiver.Tell(_message!, _sender!);
            else if (_runnable is not null) _runnable.Run();
            else _action!();
            // A repeating item must not spin at the same instant: at least one tick apart.
            if (_interval is { } every)
                scheduler.Add(every > TimeSpan.Zero ? every : TimeSpan.FromTicks(1), this);
        }
    }
}
