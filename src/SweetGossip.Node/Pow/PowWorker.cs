using Akka.Actor;
using Akka.Routing;
using SweetGossip.Protocol.Pow;

namespace SweetGossip.Node.Pow;

/// <summary>
/// Solves one proof of work at a time, synchronously: PoW is pure CPU, so a pool of these on their own
/// dispatcher (one thread each) uses the cores without starving the node's other actors.
/// </summary>
public sealed class PowWorker : ReceiveActor
{
    public const string DispatcherId = "sweetgossip.pow-dispatcher";

    public PowWorker()
    {
        Receive<SolvePow>(m => Sender.Tell(Solve(m)));
    }

    /// <summary>
    /// Solves in the calling thread. Starts where the challenge points: challenges differ per favour, so searches
    /// do not overlap, and the same challenge always costs the same number of hashes (reproducible simulations).
    /// </summary>
    public static PowSolved Solve(SolvePow m)
    {
        var start = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(m.ChallengeHash);
        var solution = PowSolver.Solve(m.ChallengeHash, m.DifficultyBits, start, ulong.MaxValue, CancellationToken.None);
        return new PowSolved(solution.Nonce, solution.HashesTried, m.Correlation);
    }

    /// <summary>A pool of workers; messages go to the one with the fewest waiting.</summary>
    public static Props Pool(int workers) =>
        Props.Create<PowWorker>().WithDispatcher(DispatcherId).WithRouter(new SmallestMailboxPool(Math.Max(1, workers)));
}
