using System.Numerics;

namespace SweetGossip.Protocol.Tests.Crypto;

/// <summary>
/// secp256k1 facts computed with plain big-integer arithmetic, independent of libsecp256k1: an oracle for
/// the checks the production code delegates to the native library.
/// </summary>
internal static class CurveOracle
{
    public static readonly BigInteger P = Parse("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
    public static readonly BigInteger N = Parse("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

    public static BigInteger ToInteger(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    /// <summary>32 big-endian bytes, zero-padded on the left.</summary>
    public static byte[] ToBytes32(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[32];
        bytes.CopyTo(padded, 32 - bytes.Length);
        return padded;
    }

    /// <summary>Whether some curve point has this x: x &lt; p and x³+7 is a square mod p (Euler's criterion).</summary>
    public static bool HasPoint(BigInteger x)
    {
        if (x.Sign < 0 || x >= P) return false;
        var rhs = (BigInteger.ModPow(x, 3, P) + 7) % P;
        return rhs.IsZero || BigInteger.ModPow(rhs, (P - 1) / 2, P).IsOne;
    }

    private static BigInteger Parse(string hex) => ToInteger(Convert.FromHexString(hex));
}
