using System.Security.Cryptography;
using System.Text;
using SweetGossip.Protocol.Pow;

namespace SweetGossip.Protocol.Tests.Pow;

// Fixed inputs. The expected hashes and nonces in the tests were computed independently (Python hashlib).
internal static class PowTestData
{
    public const long ValidUntil = 1_700_000_000;

    public static byte[] FavourId() => Enumerable.Range(0x00, 16).Select(i => (byte)i).ToArray();

    // SHA-256("test payload") = 813ca528...
    public static byte[] PayloadHash() => SHA256.HashData(Encoding.ASCII.GetBytes("test payload"));

    public static byte[] IssuerKey() => Enumerable.Range(0xa0, 32).Select(i => (byte)i).ToArray();

    public static PowChallenge Challenge(int difficultyBits = 16) =>
        new(FavourId(), PayloadHash(), IssuerKey(), difficultyBits, ValidUntil);

    public static byte[] FlipFirstBit(byte[] value)
    {
        var copy = (byte[])value.Clone();
        copy[0] ^= 1;
        return copy;
    }
}
