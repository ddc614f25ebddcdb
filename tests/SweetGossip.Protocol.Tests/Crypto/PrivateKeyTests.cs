using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

public class PrivateKeyTests
{
    private const string OrderN = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

    [Fact]
    public void RejectsZero()
    {
        var e = Assert.Throws<CryptoFormatException>(() => PrivateKey.FromBytes(new byte[32]));
        Assert.Contains("zero", e.Message);
    }

    [Theory]
    [InlineData(OrderN)]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void RejectsValuesAtOrAboveTheOrder(string hex)
    {
        var e = Assert.Throws<CryptoFormatException>(() => PrivateKey.FromHex(hex));
        Assert.Contains("order n", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void RejectsWrongLength(int length)
    {
        var bytes = new byte[length];
        if (length > 0)
        {
            bytes[^1] = 1;
        }

        var e = Assert.Throws<CryptoFormatException>(() => PrivateKey.FromBytes(bytes));
        Assert.Equal($"private key must be 32 bytes, got {length}", e.Message);
    }

    [Fact]
    public void AcceptsOneAndNMinusOne()
    {
        var one = PrivateKey.FromHex("0000000000000000000000000000000000000000000000000000000000000001");
        var max = PrivateKey.FromHex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");

        // 1·G and (n-1)·G = -G share the x-coordinate of G.
        const string gx = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
        Assert.Equal(gx, one.PublicKey.ToHex());
        Assert.Equal(gx, max.PublicKey.ToHex());
    }

    [Fact]
    public void RoundTripsBytesAndHex()
    {
        var key = PrivateKey.Generate();
        var bytes = key.ToBytes();

        Assert.Equal(32, bytes.Length);
        Assert.Equal(key.PublicKey, PrivateKey.FromBytes(bytes).PublicKey);
        Assert.Equal(key.PublicKey, PrivateKey.FromHex(Hex.Encode(bytes).ToUpperInvariant()).PublicKey);
    }

    [Fact]
    public void ToBytesReturnsACopy()
    {
        var key = PrivateKey.Generate();
        var bytes = key.ToBytes();
        bytes[0] ^= 0xff;
        Assert.NotEqual(bytes, key.ToBytes());
    }

    [Fact]
    public void FromBytesCopiesTheInput()
    {
        var bytes = PrivateKey.Generate().ToBytes();
        var key = PrivateKey.FromBytes(bytes);
        var expected = key.ToBytes();
        bytes[0] ^= 0xff;
        Assert.Equal(expected, key.ToBytes());
    }

    [Fact]
    public void GeneratedKeysDiffer()
    {
        Assert.NotEqual(PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
    }

    [Fact]
    public void PublicKeyIsComputedOnce()
    {
        var key = PrivateKey.Generate();
        Assert.Same(key.PublicKey, key.PublicKey);
    }

    [Fact]
    public void FromHexRejectsBadHex()
    {
        Assert.Throws<CryptoFormatException>(() => PrivateKey.FromHex("zz"));
    }
}
