using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Utilities;

namespace SweetGossip.Protocol.Crypto;

/// <summary>
/// The secp256k1 curve and the point/scalar helpers shared by Schnorr, ECDH and any ECDSA code
/// (e.g. BOLT11 signature recovery), so curve constants and lift_x live in exactly one place.
/// All points returned here are normalized (affine), so their coordinates can be read directly.
/// </summary>
internal static class Secp256k1
{
    public const int ScalarLength = 32;
    public const int CoordinateLength = 32;
    public const int CompressedPointLength = 33;

    // CustomNamedCurves gives the specialised secp256k1 field arithmetic and the GLV endomorphism,
    // several times faster than the generic SecNamedCurves curve. Created once: curve setup is costly
    // and the comb precomputation for G is cached on this G instance.
    public static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");
    public static readonly ECCurve Curve = Parameters.Curve;
    public static readonly ECPoint G = Parameters.G;

    /// <summary>Group order n.</summary>
    public static readonly BigInteger N = Parameters.N;

    /// <summary>Field prime p.</summary>
    public static readonly BigInteger P = Curve.Field.Characteristic;

    /// <summary>n/2, for callers that enforce low-s ECDSA signatures.</summary>
    public static readonly BigInteger HalfN = N.ShiftRight(1);

    private static readonly ECFieldElement B = Curve.B;

    // Fixed-base comb: the fastest way BouncyCastle offers to compute k·G, and its table lookups
    // are constant-time, which matters because k is secret (private keys, nonces).
    private static readonly FixedPointCombMultiplier BaseMultiplier = new();

    /// <summary>k·G, normalized. k must be in [1, n-1].</summary>
    public static ECPoint MultiplyG(BigInteger k) => BaseMultiplier.Multiply(G, k).Normalize();

    /// <summary>Big-endian unsigned bytes to an integer (no range check).</summary>
    public static BigInteger ToInteger(ReadOnlySpan<byte> bigEndian) => new(1, bigEndian);

    public static bool IsValidScalar(BigInteger k) => k.SignValue > 0 && k.CompareTo(N) < 0;

    /// <summary>Writes 0 ≤ value &lt; 2^256 as 32 big-endian bytes, zero-padded on the left.</summary>
    public static void WriteScalar(BigInteger value, Span<byte> destination32) =>
        BigIntegers.AsUnsignedByteArray(value, destination32[..ScalarLength]);

    public static bool HasEvenY(ECPoint normalized) => !normalized.AffineYCoord.TestBitZero();

    /// <summary>Writes the 32-byte x-coordinate of a normalized, finite point.</summary>
    public static void WriteX(ECPoint normalized, Span<byte> destination32) =>
        normalized.AffineXCoord.EncodeTo(destination32[..CoordinateLength]);

    /// <summary>BIP-340 lift_x: the point with this x-coordinate and even y, or null if there is none.</summary>
    public static ECPoint? LiftX(ReadOnlySpan<byte> x32) =>
        x32.Length == CoordinateLength ? LiftX(ToInteger(x32), oddY: false) : null;

    /// <summary>
    /// The point with x-coordinate x and the requested y parity, or null when x ≥ p or x³+7 is not
    /// a square mod p. oddY = false is BIP-340 lift_x; oddY = true serves compressed-point decoding
    /// and ECDSA public key recovery.
    /// </summary>
    public static ECPoint? LiftX(BigInteger x, bool oddY)
    {
        if (x.SignValue < 0 || x.CompareTo(P) >= 0)
        {
            return null;
        }

        var fx = Curve.FromBigInteger(x);
        var ySquared = fx.Square().Multiply(fx).Add(B);
        var y = ySquared.Sqrt();
        if (y is null)
        {
            return null;
        }

        // y is never 0 on secp256k1 (no point of order 2), so exactly one of ±y has each parity.
        if (y.TestBitZero() != oddY)
        {
            y = y.Negate();
        }

        return Curve.CreatePoint(x, y.ToBigInteger());
    }

    /// <summary>Decodes a 33-byte SEC1 compressed point (02/03 prefix), or null if invalid.</summary>
    public static ECPoint? DecodeCompressed(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != CompressedPointLength || (encoded[0] != 0x02 && encoded[0] != 0x03))
        {
            return null;
        }

        return LiftX(ToInteger(encoded[1..]), oddY: encoded[0] == 0x03);
    }

    /// <summary>Writes a normalized, finite point as 33-byte SEC1 compressed form.</summary>
    public static void WriteCompressed(ECPoint normalized, Span<byte> destination33)
    {
        destination33[0] = HasEvenY(normalized) ? (byte)0x02 : (byte)0x03;
        WriteX(normalized, destination33[1..]);
    }
}
