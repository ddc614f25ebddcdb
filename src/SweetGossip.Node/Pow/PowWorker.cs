using Akka.Actor;
using Akka.Routing;
using SweetGossip.Node.Core;
using SweetGossip.Protocol.Pow;

namespace SweetGossip.Node.Pow;

/// <summary>
/// Solves one proof of work at a time, synchronously: PoW is pure CPU, so a pool of these on their own
/// dispatcher (one thread each) uses the cores without starving the node's other actors. A job whose topic ended
/// stops within a thousand hashes; one whose give-up time passed while it waited is not started.
/// </summary>
public sealed class PowWorker(PowQueue? queue, TimeProvider clock) : UntypedActor
{
    public const string DispatcherId = "sweetgossip.pow-dispatcher";

    // An untyped actor: every simulated peer has a worker, and a receive actor's handler objects cost about 1 KB.
    protected override void OnReceive(object message)
    {
        if (message is not SolvePow m)
        {
            Unhandled(message);
            return;
        }
        Sender.Tell(Work(m, queue, clock));
    }

    /// <summary>
    /// One job as a worker does it: solved, or abandoned (cancelled, or picked up after its give-up time); its place in
    /// <paramref name="queue"/> is freed however it ends. Shared by this actor and <see cref="PowWorkerRef"/>.
    /// </summary>
    /// <returns>A <see cref="PowSolved"/> or a <see cref="PowAbandoned"/>, for the job's sender.</returns>
    public static object Work(SolvePow m, PowQueue? queue, TimeProvider clock)
    {
        try
        {
            return m.Until is { } until && clock.GetUtcNow() > until
                ? new PowAbandoned(m.Correlation, "its give-up time (its favour's deadline less pow.decline-margin) passed before a worker was free")
                : Solve(m);
        }
        catch (OperationCanceledException)
        {
            return new PowAbandoned(m.Correlation, "cancelled: its topic ended");
        }
        catch (ArgumentException e)
        {
            // A job the solver refuses (challenge or difficulty out of range) is answered, not lost with the worker's run.
            return new PowAbandoned(m.Correlation, "refused: " + e.Message);
        }
        finally
        {
            queue?.Leave();
        }
    }

    /// <summary>
    /// Solves in the calling thread. Starts where the challenge points: challenges differ per favour, so searches
    /// do not overlap, and the same challenge always costs the same number of hashes (reproducible simulations).
    /// </summary>
    public static PowSolved Solve(SolvePow m)
    {
        var start = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(m.ChallengeHash);
        var solution = PowSolver.Solve(m.ChallengeHash, m.DifficultyBits, start, ulong.MaxValue, m.Cancel);
        return new PowSolved(solution.Nonce, solution.HashesTried, m.Correlation);
    }

    /// <summary>
    /// A pool of workers; messages go to the one with the fewest waiting. One worker is the worker itself: a router
    /// routes in its sender's thread, so it adds no hop, only an actor (about 2 KB per simulated peer, which has one worker).
    /// </summary>
    /// <param name="queue">Freed as each job ends; null when the caller does not bound its jobs (tests).</param>
    public static Props Pool(int workers, PowQueue? queue = null, TimeProvider? clock = null)
    {
        var worker = ActorFactory.Props(() => new PowWorker(queue, clock ?? TimeProvider.System)).WithDispatcher(DispatcherId);
        return workers <= 1 ? worker : worker.WithRouter(new SmallestMailboxPool(workers));
    }
}
