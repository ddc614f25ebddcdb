using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

public class PublicKeyTests
{
    private const string FieldPrime = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";
    private const string Gx = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

    [Fact]
    public void RejectsXNotOnTheCurve()
    {
        // BIP-340 vector 5: x³+7 is not a square mod p.
        var bytes = Bip340Vector.Get(5).PublicKey;
        var e = Assert.Throws<CryptoFormatException>(() => PublicKey.FromBytes(bytes));
        Assert.Contains("not on the secp256k1 curve", e.Message);
        Assert.False(PublicKey.TryFromBytes(bytes, out var key));
        Assert.Null(key);
    }

    [Theory]
    [InlineData(FieldPrime)]
    [InlineData("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30")] // BIP-340 vector 14
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void RejectsXAtOrAboveTheFieldPrime(string hex)
    {
        var e = Assert.Throws<CryptoFormatException>(() => PublicKey.FromHex(hex));
        Assert.Contains("field prime p", e.Message);
        Assert.False(PublicKey.TryFromBytes(Hex.Decode(hex), out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void RejectsWrongLength(int length)
    {
        var e = Assert.Throws<CryptoFormatException>(() => PublicKey.FromBytes(new byte[length]));
        Assert.Equal($"public key must be 32 bytes, got {length}", e.Message);
        Assert.False(PublicKey.TryFromBytes(new byte[length], out _));
    }

    [Fact]
    public void AcceptsAValidX()
    {
        var key = PublicKey.FromHex(Gx.ToUpperInvariant());

        Assert.Equal(PublicKey.Length, key.Span.Length);
        Assert.Equal(Gx, key.ToHex());
        Assert.Equal(Gx, key.ToString());
        Assert.Equal(Hex.Decode(Gx), key.ToBytes());
        Assert.True(PublicKey.TryFromBytes(Hex.Decode(Gx), out var parsed));
        Assert.Equal(key, parsed);
    }

    [Fact]
    public void HasValueEquality()
    {
        var key = PrivateKey.Generate().PublicKey;
        var same = PublicKey.FromBytes(key.Span);
        var other = PrivateKey.Generate().PublicKey;

        Assert.True(key.Equals(same));
        Assert.True(key.Equals((object)same));
        Assert.Equal(key.GetHashCode(), same.GetHashCode());
        Assert.False(key.Equals(other));
        Assert.False(key.Equals(null));
        Assert.Single(new HashSet<PublicKey> { key, same });
    }

    [Fact]
    public void ToBytesReturnsACopy()
    {
        var key = PrivateKey.Generate().PublicKey;
        var bytes = key.ToBytes();
        bytes[0] ^= 0xff;
        Assert.NotEqual(bytes, key.ToBytes());
    }

    [Fact]
    public void PointIsLiftXWithEvenY()
    {
        // ECDH multiplies lift_x(P): the kept point must be 02 ‖ x even when the key pair's point had odd y.
        var key = EcdhTests.FindKey(odd: true).PublicKey;
        var compressed = new byte[33];
        nuint length = 33;
        Assert.True(Secp256k1Library.Context.EcPubkeySerialize(compressed, ref length, key.EvenPoint, Secp256k1Net.Secp256k1EcFlags.Compressed));
        Assert.Equal([0x02, .. key.Span], compressed);
        Assert.Equal(key, PublicKey.FromBytes(key.Span));
    }
}
