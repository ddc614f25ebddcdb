using System.Security.Cryptography;

namespace SweetGossip.Protocol.Primitives;

/// <summary>
/// The randomness that only hedges or hides (BIP-340 auxiliary data, sealed boxes' ephemeral keys and
/// nonces, generated keys): the system's cryptographic generator, unless a simulation replaced it on its
/// own thread so that its runs repeat byte for byte (a PoW challenge covers signed bytes, so random
/// signatures would change the work done). The replacement is per thread: nothing else is affected.
/// </summary>
public static class FreshRandomness
{
    [ThreadStatic]
    private static Entropy? _replacement;

    public static void Fill(Span<byte> destination)
    {
        if (_replacement is { } entropy) entropy.FillBytes(destination);
        else RandomNumberGenerator.Fill(destination);
    }

    /// <summary>Draws from <paramref name="entropy"/> on this thread until disposed. Simulations only.</summary>
    public static IDisposable ReplaceOnThisThread(Entropy entropy)
    {
        ArgumentNullException.ThrowIfNull(entropy);
        var previous = _replacement;
        _replacement = entropy;
        return new Restore(previous);
    }

    private sealed class Restore(Entropy? previous) : IDisposable
    {
        public void Dispose() => _replacement = previous;
    }
}
