using System.Security.Cryptography;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Primitives;

/// <summary>
/// Where a node draws its fresh ids, secrets and throwaway keys. Real nodes use the system's
/// cryptographic generator; a simulation passes a seeded one so that the same seed replays the same
/// run. Seeded entropy is predictable by construction: never use it outside a simulation.
/// </summary>
public abstract class Entropy
{
    /// <summary>Cryptographically secure: the default everywhere outside simulations.</summary>
    public static readonly Entropy Secure = new SecureEntropy();

    /// <summary>Reproducible from <paramref name="seed"/>; thread-safe, but draws follow call order.</summary>
    public static Entropy Seeded(int seed) => new SeededEntropy(seed);

    protected abstract void Fill(Span<byte> destination);

    /// <summary>Fills <paramref name="destination"/> with fresh bytes.</summary>
    public void FillBytes(Span<byte> destination) => Fill(destination);

    public Guid NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Fill(bytes);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>A fresh 32-byte secret, e.g. a payment preimage.</summary>
    public Hash32 NewSecret()
    {
        Span<byte> bytes = stackalloc byte[Hash32.Length];
        Fill(bytes);
        return Hash32.FromSpan(bytes);
    }

    /// <summary>A fresh key pair, e.g. a topic's reply key.</summary>
    public PrivateKey NewKey()
    {
        Span<byte> bytes = stackalloc byte[32];
        do Fill(bytes);
        while (!PrivateKey.IsValid(bytes)); // all but ~2^-128 of draws are valid
        return PrivateKey.FromBytes(bytes);
    }

    private sealed class SecureEntropy : Entropy
    {
        protected override void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
    }

    private sealed class SeededEntropy(int seed) : Entropy
    {
        private readonly Random _random = new(seed);
        private readonly Lock _sync = new();

        protected override void Fill(Span<byte> destination)
        {
            lock (_sync) _random.NextBytes(destination);
        }
    }
}
