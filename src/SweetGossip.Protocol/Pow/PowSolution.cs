namespace SweetGossip.Protocol.Pow;

// Nonce: satisfies the challenge at the requested difficulty.
// HashesTried: proof hashes computed to find it, summed over all workers (those stopped early included).
public sealed record PowSolution(ulong Nonce, long HashesTried);
