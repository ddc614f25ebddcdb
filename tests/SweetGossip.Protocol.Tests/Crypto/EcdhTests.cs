using FsCheck;
using FsCheck.Xunit;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

public class EcdhTests
{
    [Fact]
    public void SymmetricForAllParityCombinations()
    {
        // x-only keys drop the sign of y; the secret must not depend on it on either side.
        var even = FindKey(odd: false);
        var odd = FindKey(odd: true);
        var pairs = new[] { (even, FindKey(odd: false)), (even, odd), (odd, even), (odd, FindKey(odd: true)) };

        foreach (var (a, b) in pairs)
        {
            var ab = Ecdh.SharedSecret(a, b.PublicKey);
            Assert.Equal(32, ab.Length);
            Assert.Equal(ab, Ecdh.SharedSecret(b, a.PublicKey));
        }
    }

    [Property(MaxTest = 25)]
    public bool SymmetricForRandomKeys(NonEmptyArray<byte> seedA, NonEmptyArray<byte> seedB)
    {
        var a = SchnorrTests.KeyFromSeed(seedA.Get);
        var b = SchnorrTests.KeyFromSeed([.. seedB.Get, 0x42]);
        return Ecdh.SharedSecret(a, b.PublicKey).AsSpan().SequenceEqual(Ecdh.SharedSecret(b, a.PublicKey));
    }

    [Fact]
    public void MatchesNBitcoinEcdhOnTheFullPoint()
    {
        // Independent oracle: NBitcoin's own secp256k1 multiplies the real (possibly odd-y) public point.
        for (var i = 0; i < 8; i++)
        {
            var ours = PrivateKey.Generate();
            var theirs = PrivateKey.Generate();
            var shared = new NBitcoin.Key(theirs.ToBytes()).PubKey.GetSharedPubkey(new NBitcoin.Key(ours.ToBytes()));

            Assert.Equal(shared.ToBytes()[1..], Ecdh.SharedSecret(ours, theirs.PublicKey));
        }
    }

    [Fact]
    public void DifferentPeersGiveDifferentSecrets()
    {
        var a = PrivateKey.Generate();
        Assert.NotEqual(
            Ecdh.SharedSecret(a, PrivateKey.Generate().PublicKey),
            Ecdh.SharedSecret(a, PrivateKey.Generate().PublicKey));
    }

    internal static PrivateKey FindKey(bool odd)
    {
        while (true)
        {
            var key = PrivateKey.Generate();
            if (key.HasOddY == odd)
            {
                return key;
            }
        }
    }
}
