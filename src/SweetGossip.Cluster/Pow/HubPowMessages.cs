using SweetGossip.Cluster.Serialization;
using SweetGossip.Protocol.Pow;

namespace SweetGossip.Cluster.Pow;

/// <summary>
/// A proof of work for a worker of the hub's pool, which may run on another member: only the challenge, the difficulty
/// and the deadline cross (a topic's cancellation and correlation stay with the member that asked).
/// </summary>
/// <param name="JobId">The asking member's number for this job; the answer carries it back.</param>
/// <param name="Until">The worker stops searching then: the favour's end, or the hub's longest search for one proof.</param>
public sealed record HubPowJob(long JobId, byte[] ChallengeHash, int DifficultyBits, DateTimeOffset Until) : IHubMessage
{
    public const int ChallengeLength = 32;

    public const int MaxDifficultyBits = PowChallenge.MaxDifficultyBits;
}

/// <summary>A worker's proof: <paramref name="Solver"/> is the member it ran on (operators see where work went).</summary>
public sealed record HubPowSolved(long JobId, ulong Nonce, long HashesTried, string Solver) : IHubMessage
{
    public const int MaxSolverLength = 512;
}

/// <summary>A job a worker did not solve: its deadline passed before or while it searched.</summary>
public sealed record HubPowAbandoned(long JobId, string Reason) : IHubMessage
{
    public const int MaxReasonLength = 256;
}
