using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace SweetGossip.Node.Pow;

/// <summary>
/// A node's one PoW worker without an actor (the simulator, <see cref="Transport.InMemoryNetwork.SimulatorNodes"/>): an
/// actor reference that queues the jobs it is told and does them in runs on the PoW dispatcher as <see cref="PowWorker"/>'s
/// mailbox does (a run queued when the first job comes to an idle worker, as many jobs per run as the mailbox takes, in
/// arrival order, the next run queued at the end of one if jobs are left), answering each job's sender as the worker does
/// (<see cref="PowWorker.Work"/>). Its runs are queued at the points the worker's mailbox runs were, so a simulation runs the
/// same work in the same order (the simulator's PowWorkerOrderTests hold it to the actor). A worker actor is about 1 KB of
/// Akka per simulated peer (cell, mailbox, props, path, its parent's child stats); this is a reference and a small queue.
/// </summary>
public sealed class PowWorkerRef : MinimalActorRef, IEquatable<IActorRef>
{
    private readonly IActorRefProvider _provider;
    private readonly ActorPath _parentPath;
    private readonly MessageDispatcher _dispatcher;
    private readonly PowQueue? _queue;
    private readonly TimeProvider _clock;
    private readonly Action _run;
    // Akka 1.5's mailbox run takes its dispatcher's throughput plus one message (measured: 101 at throughput 100, 2 at 1).
    private readonly int _jobsPerRun;
    // Bounded by the queue: a topic reserves its place before it sends a job (as for the worker actor's mailbox).
    private readonly Queue<(SolvePow Job, IActorRef Sender)> _jobs = new();
    private ActorPath? _path;
    private bool _scheduled;

    /// <param name="parentPath">The node's path; this worker's path is under it, made only if asked for.</param>
    /// <param name="queue">Freed as each job ends; null when the caller does not bound its jobs (tests).</param>
    public PowWorkerRef(ActorSystem system, ActorPath parentPath, PowQueue? queue, TimeProvider clock)
    {
        _provider = ((ExtendedActorSystem)system).Provider;
        _dispatcher = system.Dispatchers.Lookup(PowWorker.DispatcherId);
        _jobsPerRun = Math.Max(1, _dispatcher.Throughput) + 1;
        (_parentPath, _queue, _clock) = (parentPath, queue, clock);
        _run = Run;
    }

    public override IActorRefProvider Provider => _provider;

    // The worker actor's name ("pow"), made when first asked for (logging): a path is about 100 bytes per simulated peer.
    public override ActorPath Path
    {
        get
        {
            lock (_jobs) return _path ??= _parentPath / "pow";
        }
    }

    // Unique by object (no other reference has its path): a comparison makes no path.
    public new bool Equals(IActorRef? other) => ReferenceEquals(this, other);

    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (message is not SolvePow job)
        {
            // The actor left it unhandled; here it is a dead letter (nothing but jobs is sent to a worker).
            _provider.DeadLetters.Tell(new DeadLetter(message, sender ?? _provider.DeadLetters, this), sender);
            return;
        }
        lock (_jobs)
        {
            _jobs.Enqueue((job, sender ?? _provider.DeadLetters)); // an actor's Sender without one
            if (_scheduled) return;
            _scheduled = true;
        }
        _dispatcher.Schedule(_run);
    }

    private void Run()
    {
        for (var done = 0; done < _jobsPerRun; done++)
        {
            (SolvePow Job, IActorRef Sender) next;
            lock (_jobs)
            {
                if (!_jobs.TryDequeue(out next)) break;
            }
            next.Sender.Tell(PowWorker.Work(next.Job, _queue, _clock), this);
        }
        lock (_jobs)
        {
            if (_jobs.Count == 0)
            {
                _scheduled = false;
                _jobs.TrimExcess(); // a node solves a few jobs per topic: its queue's array is let go between them
                return;
            }
        }
        _dispatcher.Schedule(_run);
    }
}
