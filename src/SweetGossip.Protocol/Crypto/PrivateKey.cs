using SweetGossip.Protocol.Primitives;
using System.Security.Cryptography;

namespace SweetGossip.Protocol.Crypto;

/// <summary>A secp256k1 private key: a 32-byte big-endian scalar d with 1 ≤ d ≤ n-1.</summary>
public sealed class PrivateKey
{
    internal const int Length = Secp256k1.ScalarLength;

    private readonly byte[] _bytes;
    private readonly byte[] _keypair;

    private PrivateKey(byte[] bytes)
    {
        _bytes = bytes;

        // Derived once here: every signature needs libsecp256k1's key pair (d with its public point), and
        // d·G is the expensive part of it. The key pair takes care of BIP-340's even-y adjustment of d.
        var context = Secp256k1Library.Context;
        _keypair = new byte[Secp256k1.KeypairLength];
        var point = new byte[Secp256k1.ParsedKeyLength];
        var xOnly = new byte[Secp256k1.ParsedKeyLength];
        var x32 = new byte[PublicKey.Length];
        if (!context.KeypairCreate(_keypair, bytes)
            || !context.KeypairPub(point, _keypair)
            || !context.KeypairXonlyPub(xOnly, out var parity, _keypair)
            || !context.XonlyPubkeySerialize(x32, xOnly))
        {
            throw new CryptoFormatException("private key is not a valid secp256k1 scalar");
        }

        HasOddY = parity == 1;
        PublicKey = PublicKey.FromParsed(x32, xOnly, point, HasOddY);
    }

    /// <summary>The x-only public key d·G.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>d as given; used for ECDH, where the sign of the point does not matter.</summary>
    internal ReadOnlySpan<byte> Secret => _bytes;

    /// <summary>libsecp256k1's key pair, what BIP-340 signing takes.</summary>
    internal ReadOnlySpan<byte> Keypair => _keypair;

    /// <summary>Whether d·G has odd y, so BIP-340 signs with n-d (tests use it to cover both cases).</summary>
    internal bool HasOddY { get; }

    public static PrivateKey Generate()
    {
        while (true)
        {
            var bytes = new byte[Length];
            FreshRandomness.Fill(bytes);

            // Rejection sampling keeps the distribution uniform; a retry has probability ~2^-128.
            if (IsValid(bytes))
            {
                return new PrivateKey(bytes);
            }
        }
    }

    /// <summary>Whether these bytes are a usable secret key (32 bytes, in [1, n-1]), without building one.</summary>
    public static bool IsValid(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Length && Secp256k1Library.Context.EcSeckeyVerify(bytes);

    public static PrivateKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new CryptoFormatException($"private key must be {Length} bytes, got {bytes.Length}");
        }

        if (!bytes.ContainsAnyExcept((byte)0))
        {
            throw new CryptoFormatException("private key is zero");
        }

        if (!IsValid(bytes))
        {
            throw new CryptoFormatException("private key is not less than the secp256k1 group order n");
        }

        return new PrivateKey(bytes.ToArray());
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
