using Akka.Dispatch;

namespace SweetGossip.Simulation.Runtime;

/// <summary>
/// The one queue every piece of work of a simulated actor system goes through: mailbox runs (from the
/// dispatcher) and task continuations (as the thread's <see cref="SynchronizationContext"/>). Drained by
/// one thread in FIFO order, so the same inputs run in the same order every time.
/// Work arriving from any other thread would make a run unrepeatable; it is still run, and counted in
/// <see cref="ForeignEnqueues"/> so tests can prove there is none.
/// </summary>
public sealed class RunQueue : SynchronizationContext
{
    private readonly Queue<IRunnable> _work = new();
    private readonly Lock _sync = new();
    private Thread? _owner;
    private long _foreign;

    /// <summary>Work items queued from a thread other than the draining one.</summary>
    public long ForeignEnqueues => Interlocked.Read(ref _foreign);

    /// <summary>Called before each work item runs (a partitioned simulation selects the running node's randomness).</summary>
    public Action<IRunnable>? BeforeRun { get; set; }

    /// <summary>Work items run so far.</summary>
    public long Executed { get; private set; }

    public int Pending
    {
        get
        {
            lock (_sync) return _work.Count;
        }
    }

    public void Enqueue(IRunnable work)
    {
        if (_owner is not null && Thread.CurrentThread != _owner)
            Interlocked.Increment(ref _foreign);
        lock (_sync) _work.Enqueue(work);
    }

    /// <summary>Lets another thread become the draining one (a partitioned run hands each queue to its own thread after setup).</summary>
    public void ReleaseOwner() => _owner = null;

    /// <summary>Forgets all queued work (the system is being abandoned).</summary>
    public void Clear()
    {
        lock (_sync) _work.Clear();
    }

    public override void Post(SendOrPostCallback d, object? state) => Enqueue(new PostedCallback(d, state));

    public override void Send(SendOrPostCallback d, object? state) => d(state);

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs queued work, and the work it queues, until none is left. Returns how many items ran.</summary>
    public long Drain()
    {
        _owner ??= Thread.CurrentThread;
        if (Thread.CurrentThread != _owner)
            throw new InvalidOperationException("a simulation's run queue is drained by one thread only");
        var previous = Current;
        SetSynchronizationContext(this);
        long ran = 0;
        try
        {
            while (true)
            {
                IRunnable next;
                lock (_sync)
                {
                    if (!_work.TryDequeue(out next!)) break;
                }
                BeforeRun?.Invoke(next);
                next.Run();
                ran++;
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
        Executed += ran;
        return ran;
    }

    private sealed class PostedCallback(SendOrPostCallback callback, object? state) : IRunnable
    {
        public void Run() => callback(state);

#pragma warning disable CA1822 // part of Akka's IRunnable on some versions
        public void Execute() => Run();
#pragma warning restore CA1822
    }
}
