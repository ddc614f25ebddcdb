using Akka.Actor;
using SweetGossip.Protocol.Pow;

namespace SweetGossip.Cluster.Pow;

/// <summary>
/// One routee of the hub's proof-of-work pool, deployed by <see cref="HubPowPool"/> on any member with the hub role.
/// Solves one job at a time, synchronously (pure CPU, on the dispatcher the pool names). No constructor arguments:
/// a routee deployed on another member is created from its type alone.
/// </summary>
public sealed class HubPowWorker : ReceiveActor
{
    public HubPowWorker()
    {
        var member = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        Receive<HubPowJob>(job =>
        {
            // A topic's cancellation does not cross members: the deadline is what stops a search nobody waits for.
            var left = job.Until - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                Sender.Tell(new HubPowAbandoned(job.JobId, "its deadline passed before a worker was free"));
                return;
            }
            using var deadline = new CancellationTokenSource(left);
            try
            {
                // Start where the challenge points, as the node's local workers do (same proof for the same challenge).
                var start = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(job.ChallengeHash);
                var solution = PowSolver.Solve(job.ChallengeHash, job.DifficultyBits, start, ulong.MaxValue, deadline.Token);
                Sender.Tell(new HubPowSolved(job.JobId, solution.Nonce, solution.HashesTried, member));
            }
            catch (OperationCanceledException)
            {
                Sender.Tell(new HubPowAbandoned(job.JobId, "its deadline passed while a worker searched"));
            }
        });
    }
}
