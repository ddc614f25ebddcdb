using Akka.Configuration;
using Akka.Dispatch;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Runtime;

namespace SweetGossip.Simulation.Partitioned;

/// <summary>
/// A conservative parallel discrete-event simulation: the nodes split into partitions, one actor system
/// (run queue, virtual-time scheduler) and one thread each, advancing together in windows
/// [kW, (k+1)W) where W is the lookahead: nothing one node does reaches another sooner than W, so within a
/// window no partition needs anything from another. Between windows (all threads stopped) the coordinator
/// merges in a fixed order what crossed between nodes: messages into the receivers' schedulers at their
/// arrival, observations into the metrics, calls into the Lightning network. Windows with nothing to do
/// are skipped.
/// </summary>
internal sealed class PartitionedSimulation : IDisposable
{
    private const string DispatcherType = "\"SweetGossip.Simulation.Partitioned.InlineDispatcherConfigurator, SweetGossip.Simulation\"";
    private readonly List<Parcel> _parcels = [];
    private readonly NodeFreshness.Cursor[] _fresh;
    private readonly NodeFreshness.Cursor _mergeFresh;
    private readonly List<Stamped> _observations = [];
    private readonly Barrier _barrier;
    private readonly Thread[] _workers;
    private long _windowEndTicks;
    private readonly long[] _busyTicks;
    // Per partition: its queue ran an actor of another partition's node (the guard; none is expected).
    private readonly long[] _foreignRuns;
    private volatile bool _stopping;
    private Exception? _failure;

    public PartitionedSimulation(int partitions, int nodes, TimeSpan lookahead, DateTimeOffset start, string logLevel, ulong freshRoot)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        if (lookahead <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lookahead), "the lookahead must be positive");
        Lookahead = lookahead;
        var overrides = ConfigurationFactory.ParseString($$"""
            akka.actor.default-mailbox.mailbox-type = "SweetGossip.Simulation.Partitioned.NodeTaggedMailbox, SweetGossip.Simulation"
            akka.actor.mailbox.unbounded-deque-based.mailbox-type = "SweetGossip.Simulation.Partitioned.NodeTaggedDequeMailbox, SweetGossip.Simulation"
            sweetgossip.simulation.journal.plugin-dispatcher = "sweetgossip.simulation.inline-dispatcher"
            sweetgossip.simulation.snapshot-store.plugin-dispatcher = "sweetgossip.simulation.inline-dispatcher"
            sweetgossip.simulation.inline-dispatcher { type = {{DispatcherType}}, throughput = 100 }
            """);
        // Streams: one per node, then the merge's, then one per partition for work of no node before its first node's.
        var fresh = new NodeFreshness(freshRoot, nodes, partitions);
        _mergeFresh = fresh.NewCursor(fresh.MergeStream);
        _fresh = new NodeFreshness.Cursor[partitions];
        var all = new Partition[partitions];
        Layout = new PartitionLayout(all, nodes); // reads only the count; the partitions are filled in below
        _foreignRuns = new long[partitions];
        for (var i = 0; i < partitions; i++)
        {
            var sim = SimulatedActorSystem.Create("sim-p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), start, logLevel, overrides: overrides);
            // Each actor draws its node's own fresh randomness (signature aux data, sealed boxes), continuing where
            // that node left off: the same bytes for the same draw whatever else its thread ran before.
            var cursor = _fresh[i] = fresh.NewCursor(fresh.PartitionStream(i));
            var current = -1;
            var index = i;
            sim.Queue.BeforeRun = run =>
            {
                if (run is not Mailbox { MessageQueue: INodeTagged { Node: >= 0 and var node } }) return;
                // A node's actors run on its own partition's queue only: on another's they would race its own thread.
                if (Layout.PartitionIndexOf(node) != index) Interlocked.Increment(ref _foreignRuns[index]);
                if (node != current)
                {
                    current = cursor.Stream = node;
                    _ = FreshRandomness.ReplaceOnThisThread(cursor); // also during set-up, which runs on the caller's thread
                }
            };
            all[i] = new Partition(i, sim);
        }
        _barrier = new Barrier(partitions);
        _busyTicks = new long[partitions];
        _workers = new Thread[partitions - 1];
    }

    public TimeSpan Lookahead { get; }

    public PartitionLayout Layout { get; }

    public Partition[] Partitions => Layout.Partitions;

    /// <summary>Merges observations into the metrics (set by the runner).</summary>
    public LightningDesk? Lightning { get; set; }

    public long Executed => Partitions.Sum(p => p.Sim.Queue.Executed);

    /// <summary>
    /// Work queued, and node reports buffered, from a thread other than the one running their partition, and actors run
    /// by another partition's queue than their node's.
    /// </summary>
    public long ForeignEnqueues => Partitions.Sum(p => p.Sim.Queue.ForeignEnqueues + p.ForeignObservations + Interlocked.Read(ref _foreignRuns[p.Index]));

    public long Windows { get; private set; }

    /// <summary>Wall time spent between windows (the merge, on one thread).</summary>
    public TimeSpan MergeTime { get; private set; }

    /// <summary>Wall time each partition spent running its windows (the rest of the run it waited at the barrier).</summary>
    public TimeSpan[] BusyTime { get; private set; } = [];

    /// <summary>Runs every partition up to <paramref name="until"/> (inclusive), in lock-step windows.</summary>
    /// <param name="onWindow">Called between windows with the virtual time reached (e.g. progress).</param>
    public void RunUntil(TimeSpan until, Action<TimeSpan>? onWindow = null)
    {
        // Setup ran on this thread; from here each partition's queue belongs to its own thread.
        foreach (var partition in Partitions) partition.Sim.Queue.ReleaseOwner();
        for (var i = 0; i < _workers.Length; i++)
        {
            var partition = Partitions[i + 1];
            _workers[i] = new Thread(() => Work(partition)) { IsBackground = true, Name = "sim-partition-" + partition.Index };
            _workers[i].Start();
        }
        var w = Lookahead.Ticks;
        var last = until.Ticks + 1; // exclusive end of the last window
        var window = 0L;
        try
        {
            while (true)
            {
                var end = Math.Min((window + 1) * w, last);
                Volatile.Write(ref _windowEndTicks, end);
                _barrier.SignalAndWait(); // go
                RunWindow(Partitions[0], end);
                _barrier.SignalAndWait(); // all done
                if (_failure is { } failure) throw new InvalidOperationException("a partition failed", failure);
                // The merge queues work into every partition from this thread while none runs: not foreign work.
                foreach (var partition in Partitions) partition.Sim.Queue.ReleaseOwner();
                Windows++;
                var merging = System.Diagnostics.Stopwatch.GetTimestamp();
                Merge(end);
                MergeTime += System.Diagnostics.Stopwatch.GetElapsedTime(merging);
                onWindow?.Invoke(TimeSpan.FromTicks(end));
                if (end >= last) break;
                window = NextWindow(window + 1, w);
                if (window * w >= last) window = (last - 1) / w;
            }
        }
        finally
        {
            _stopping = true;
            _barrier.SignalAndWait();
            foreach (var worker in _workers) worker.Join();
            BusyTime = [.. _busyTicks.Select(t => TimeSpan.FromTicks(t))];
        }
    }

    /// <summary>The next window with work: the one after, unless every queue is empty and the next timer is further.</summary>
    private long NextWindow(long next, long w)
    {
        var earliest = long.MaxValue;
        foreach (var partition in Partitions)
        {
            if (partition.Sim.Queue.Pending > 0) return next;
            if (partition.Sim.Scheduler.NextDue is { } due) earliest = Math.Min(earliest, due.Ticks);
        }
        return earliest == long.MaxValue ? next : Math.Max(next, earliest / w);
    }

    private void Work(Partition partition)
    {
        while (true)
        {
            _barrier.SignalAndWait();
            if (_stopping) return;
            try
            {
                RunWindow(partition, Volatile.Read(ref _windowEndTicks));
            }
            catch (Exception e)
            {
                _failure ??= e;
            }
            _barrier.SignalAndWait();
        }
    }

    private void RunWindow(Partition partition, long endTicks)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        partition.Runner = Thread.CurrentThread;
        // A worker thread starts with none (the system's generator), and the merge swaps its own in on this one.
        _ = FreshRandomness.ReplaceOnThisThread(_fresh[partition.Index]);
        partition.Sim.RunUntil(TimeSpan.FromTicks(endTicks - 1));
        partition.Sim.Scheduler.AdvanceTo(TimeSpan.FromTicks(endTicks));
        _busyTicks[partition.Index] += System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks;
    }

    /// <summary>Between windows, on this thread alone: what crossed between nodes, in stamp order.</summary>
    private void Merge(long endTicks)
    {
        // No synchronization context here (a test host has one): completing a Lightning call's task must run
        // its continuations inline, on this thread, not hand them to the thread pool mid-window.
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        // What the merge's work draws (a Lightning answer's continuation) comes from the merge's own stream, in stamp
        // order, not from the stream of whichever node this thread ran last (which depends on the partitioning).
        using var fresh = FreshRandomness.ReplaceOnThisThread(_mergeFresh);
        foreach (var partition in Partitions) partition.Runner = Thread.CurrentThread;
        try
        {
            MergeInOrder(endTicks);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private void MergeInOrder(long endTicks)
    {
        foreach (var partition in Partitions)
        {
            _parcels.AddRange(partition.Outbox);
            partition.Outbox.Clear();
            // Under the list's lock, as its writers take it (no partition runs now: the lock only makes sure of it).
            lock (partition.Observations)
            {
                _observations.AddRange(partition.Observations);
                partition.Observations.Clear();
            }
        }
        _parcels.Sort(static (a, b) => a.Stamp.CompareTo(b.Stamp));
        foreach (var parcel in _parcels)
        {
            if (parcel.Stamp.Ticks < endTicks)
                throw new InvalidOperationException($"a message from node {parcel.Stamp.Node} arrives at {TimeSpan.FromTicks(parcel.Stamp.Ticks)}, inside the window it was sent in (lookahead {Lookahead})");
            Partitions[parcel.ToPartition].Sim.Scheduler.ScheduleAt(TimeSpan.FromTicks(parcel.Stamp.Ticks), parcel.Deliver);
        }
        _parcels.Clear();
        _observations.Sort(static (a, b) => a.Stamp.CompareTo(b.Stamp));
        foreach (var observation in _observations) observation.Apply();
        _observations.Clear();
        Lightning?.Apply(endTicks);
    }

    public void Abandon()
    {
        foreach (var partition in Partitions) partition.Sim.Abandon();
    }

    public void Dispose() => _barrier.Dispose();
}
