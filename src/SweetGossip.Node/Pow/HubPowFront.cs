using Akka.Actor;
using SweetGossip.Cluster.Pow;
using SweetGossip.Node.Core;
using SweetGossip.Protocol.Pow;

namespace SweetGossip.Node.Pow;

/// <summary>
/// A hub member's PoW pool as its node sees it: takes <see cref="SolvePow"/> like the local pool and answers
/// <see cref="PowSolved"/>/<see cref="PowAbandoned"/>, but hands the work to the hub's cluster router pool
/// (<see cref="HubPowPool"/>), whose routees may run on other members. What cannot cross members stays here: the
/// topic's correlation, its cancellation (a cancelled job is answered at once; a remote routee finishes it unseen) and
/// the queue place, freed when the job ends however it ends. A proof from another member is verified before it is used.
/// </summary>
public sealed class HubPowFront : ReceiveActor, IWithTimers
{
    private readonly Dictionary<long, Waiting> _waiting = [];
    private readonly Dictionary<string, long> _solvedBy = [];
    private readonly PowQueue? _queue;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _maxSolveTime;
    private long _lastJobId;

    /// <param name="pool">The cluster router pool (<see cref="HubPowPool.Props"/>).</param>
    /// <param name="maxJobs">Jobs waiting for an answer at most; past it a job is abandoned at once.</param>
    /// <param name="maxSolveTime">A job without a favour's end is given up after this long (here and by its routee).</param>
    public HubPowFront(Props pool, PowQueue? queue, TimeProvider clock, int maxJobs, TimeSpan maxSolveTime)
    {
        (_queue, _clock, _maxSolveTime) = (queue, clock, maxSolveTime);
        var workers = Context.ActorOf(pool, "workers");
        Receive<SolvePow>(job =>
        {
            if (_waiting.Count >= maxJobs)
            {
                _queue?.Leave();
                Sender.Tell(new PowAbandoned(job.Correlation, $"{maxJobs} proofs of work wait for the hub's workers already"));
                return;
            }
            var id = ++_lastJobId;
            var self = Self;
            var cancelled = job.Cancel.Register(() => self.Tell(new JobCancelled(id)));
            var longest = _clock.GetUtcNow() + _maxSolveTime;
            var until = job.Until is { } end && end < longest ? end : longest;
            _waiting[id] = new Waiting(Sender, job, until, cancelled);
            workers.Tell(new HubPowJob(id, job.ChallengeHash, job.DifficultyBits, until));
        });
        Receive<HubPowSolved>(OnSolved);
        Receive<HubPowAbandoned>(a => Abandon(a.JobId, a.Reason));
        Receive<JobCancelled>(c => Abandon(c.JobId, "cancelled: its topic ended"));
        Receive<SweepExpired>(_ => SweepJobs());
        Receive<GetPowSolvers>(_ => Sender.Tell(new PowSolvers(new Dictionary<string, long>(_solvedBy))));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A member that left with a job never answers: a job is given up at its deadline.</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>Members counted by name at most; the rest add up under one entry.</summary>
    private const int MaxSolversCounted = 64;

    public static Props Props(Props pool, PowQueue? queue, TimeProvider clock, int maxJobs, TimeSpan maxSolveTime) =>
        ActorFactory.Props(() => new HubPowFront(pool, queue, clock, maxJobs, maxSolveTime));

    protected override void PreStart() => Timers.StartPeriodicTimer("sweep", SweepExpired.Instance, SweepInterval);

    protected override void PostStop()
    {
        foreach (var id in _waiting.Keys.ToList()) Finish(id);
    }

    private void OnSolved(HubPowSolved solved)
    {
        if (!_waiting.TryGetValue(solved.JobId, out var waiting)) return; // cancelled or expired meanwhile
        if (!PowVerifier.Satisfies(waiting.Job.ChallengeHash, solved.Nonce, waiting.Job.DifficultyBits))
        {
            Abandon(solved.JobId, $"member {solved.Solver} answered a proof that does not verify");
            return;
        }
        Finish(solved.JobId);
        var solver = _solvedBy.Count < MaxSolversCounted || _solvedBy.ContainsKey(solved.Solver) ? solved.Solver : "other members";
        _solvedBy[solver] = _solvedBy.GetValueOrDefault(solver) + 1;
        waiting.ReplyTo.Tell(new PowSolved(solved.Nonce, solved.HashesTried, waiting.Job.Correlation));
    }

    private void Abandon(long jobId, string reason)
    {
        if (Finish(jobId) is { } waiting) waiting.ReplyTo.Tell(new PowAbandoned(waiting.Job.Correlation, reason));
    }

    private void SweepJobs()
    {
        var now = _clock.GetUtcNow();
        foreach (var id in _waiting.Where(w => now > w.Value.Until).Select(w => w.Key).ToList())
            Abandon(id, "no worker answered before its deadline (its favour expired, or the member solving it left)");
    }

    private Waiting? Finish(long jobId)
    {
        if (!_waiting.Remove(jobId, out var waiting)) return null;
        waiting.Cancelled.Dispose();
        _queue?.Leave();
        return waiting;
    }

    private sealed record Waiting(IActorRef ReplyTo, SolvePow Job, DateTimeOffset Until, CancellationTokenRegistration Cancelled);

    private sealed record JobCancelled(long JobId);

    private sealed record SweepExpired
    {
        public static readonly SweepExpired Instance = new();
    }
}
