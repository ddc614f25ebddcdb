using SweetGossip.Protocol.Primitives;
using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace SweetGossip.Protocol.Crypto;

/// <summary>A secp256k1 private key: a 32-byte big-endian scalar d with 1 ≤ d ≤ n-1.</summary>
public sealed class PrivateKey
{
    internal const int Length = Secp256k1.ScalarLength;

    private readonly byte[] _bytes;

    private PrivateKey(byte[] bytes, BigInteger scalar)
    {
        _bytes = bytes;
        Scalar = scalar;

        // Derived once here: every signature needs both the x-only public key and the
        // parity-adjusted scalar, and k·G is the expensive part of signing.
        var point = Secp256k1.MultiplyG(scalar);
        PublicKey = PublicKey.FromPoint(point);
        EvenYScalar = Secp256k1.HasEvenY(point) ? scalar : Secp256k1.N.Subtract(scalar);
    }

    /// <summary>The x-only public key d·G.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>d as given; used for ECDH, where the sign of the point does not matter.</summary>
    internal BigInteger Scalar { get; }

    /// <summary>
    /// d or n-d, whichever makes d·G have even y: BIP-340 signs with the key whose public point is
    /// lift_x of the x-only key.
    /// </summary>
    internal BigInteger EvenYScalar { get; }

    public static PrivateKey Generate()
    {
        while (true)
        {
            var bytes = new byte[Length];
            FreshRandomness.Fill(bytes);
            var scalar = Secp256k1.ToInteger(bytes);

            // Rejection sampling keeps the distribution uniform; a retry has probability ~2^-128.
            if (Secp256k1.IsValidScalar(scalar))
            {
                return new PrivateKey(bytes, scalar);
            }
        }
    }

    /// <summary>Whether these bytes are a usable secret key (32 bytes, in [1, n-1]), without building one.</summary>
    public static bool IsValid(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Length && Secp256k1.IsValidScalar(Secp256k1.ToInteger(bytes));

    public static PrivateKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new CryptoFormatException($"private key must be {Length} bytes, got {bytes.Length}");
        }

        var scalar = Secp256k1.ToInteger(bytes);
        if (scalar.SignValue == 0)
        {
            throw new CryptoFormatException("private key is zero");
        }

        if (scalar.CompareTo(Secp256k1.N) >= 0)
        {
            throw new CryptoFormatException("private key is not less than the secp256k1 group order n");
        }

        return new PrivateKey(bytes.ToArray(), scalar);
    }

    public static PrivateKey FromHex(string hex)
    {
        var bytes = Hex.Decode(hex);
        try
        {
            return FromBytes(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>A copy of the 32 secret bytes; the caller owns (and should wipe) it.</summary>
    public byte[] ToBytes() => (byte[])_bytes.Clone();
}
