using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

public class Bip340VectorTests
{
    [Fact]
    public void AllFifteenVectorsAreLoaded()
    {
        Assert.Equal(Enumerable.Range(0, 15), Bip340Vector.All.Select(v => v.Index));
    }

    [Theory]
    [MemberData(nameof(Bip340Vector.SigningIndexes), MemberType = typeof(Bip340Vector))]
    public void SigningWithAuxRandGivesTheVectorSignature(int index)
    {
        var v = Bip340Vector.Get(index);
        var key = PrivateKey.FromBytes(v.SecretKey);

        Assert.Equal(v.PublicKey, key.PublicKey.ToBytes());
        Assert.Equal(Hex.Encode(v.Signature), Hex.Encode(Schnorr.Sign(key, v.Message, v.AuxRand)));
    }

    [Theory]
    [MemberData(nameof(Bip340Vector.AllIndexes), MemberType = typeof(Bip340Vector))]
    public void RawKeyVerificationMatchesTheVector(int index)
    {
        var v = Bip340Vector.Get(index);
        Assert.Equal(v.Expected, Schnorr.Verify(v.PublicKey, v.Message, v.Signature));
    }

    [Theory]
    [MemberData(nameof(Bip340Vector.AllIndexes), MemberType = typeof(Bip340Vector))]
    public void ParsedKeyVerificationMatchesTheVector(int index)
    {
        var v = Bip340Vector.Get(index);
        if (PublicKey.TryFromBytes(v.PublicKey, out var key))
        {
            Assert.Equal(v.Expected, Schnorr.Verify(key, v.Message, v.Signature));
        }
        else
        {
            // Only an invalid key may fail to parse, and then verification must have been expected to fail.
            Assert.False(v.Expected);
            Assert.Null(key);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(14)]
    public void InvalidPublicKeysAreRejectedWithoutThrowing(int index)
    {
        var v = Bip340Vector.Get(index);

        Assert.False(Schnorr.Verify(v.PublicKey, v.Message, v.Signature));
        Assert.False(PublicKey.TryFromBytes(v.PublicKey, out _));
        Assert.Throws<CryptoFormatException>(() => PublicKey.FromBytes(v.PublicKey));
    }
}
