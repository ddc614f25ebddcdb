namespace SweetGossip.Node.Pow;

/// <summary>
/// Find a nonce for this challenge hash with at least <paramref name="DifficultyBits"/> leading zero bits. Abandoned
/// when <see cref="Cancel"/> fires (the topic ended) or when a worker picks it up after <see cref="Until"/> (the favour
/// it would redeem has expired).
/// </summary>
public sealed record SolvePow(byte[] ChallengeHash, int DifficultyBits, object Correlation)
{
    public CancellationToken Cancel { get; init; }

    public DateTimeOffset? Until { get; init; }
}

public sealed record PowSolved(ulong Nonce, long HashesTried, object Correlation);

/// <summary>A proof not found: cancelled, or its favour expired before a worker was free.</summary>
public sealed record PowAbandoned(object Correlation, string Reason);

/// <summary>Ask a <see cref="HubPowFront"/> which members solved its proofs.</summary>
public sealed record GetPowSolvers
{
    public static readonly GetPowSolvers Instance = new();
}

/// <summary>Proofs solved, by the member whose routee solved them.</summary>
public sealed record PowSolvers(IReadOnlyDictionary<string, long> SolvedBy);
