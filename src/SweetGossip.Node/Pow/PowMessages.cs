namespace SweetGossip.Node.Pow;

/// <summary>Find a nonce for this challenge hash with at least <paramref name="DifficultyBits"/> leading zero bits.</summary>
public sealed record SolvePow(byte[] ChallengeHash, int DifficultyBits, object Correlation);

public sealed record PowSolved(ulong Nonce, long HashesTried, object Correlation);
