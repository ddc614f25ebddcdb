namespace SweetGossip.Protocol.Pow;

// Thrown by PowSolver when no nonce in the searched range satisfies the difficulty.
public sealed class PowExhaustedException : Exception
{
    public PowExhaustedException()
        : base("No nonce in the searched range satisfies the difficulty.")
    {
    }

    public PowExhaustedException(string message)
        : base(message)
    {
    }

    public PowExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PowExhaustedException(ulong startNonce, ulong count, int difficultyBits)
        : base($"No nonce in [{startNonce}, +{count}) has {difficultyBits} leading zero bits.")
    {
        StartNonce = startNonce;
        Count = count;
        DifficultyBits = difficultyBits;
    }

    public ulong StartNonce { get; }

    public ulong Count { get; }

    public int DifficultyBits { get; }
}
