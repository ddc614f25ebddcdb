using Org.BouncyCastle.Math;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

public class Secp256k1Tests
{
    [Fact]
    public void ConstantsAreSecp256k1()
    {
        Assert.Equal("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", Secp256k1.P.ToString(16));
        Assert.Equal("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", Secp256k1.N.ToString(16));
    }

    [Fact]
    public void LiftXOfGIsG()
    {
        // G has even y, so lift_x(x(G)) = G.
        var g = Secp256k1.G.Normalize();
        var lifted = Secp256k1.LiftX(g.AffineXCoord.GetEncoded());
        Assert.NotNull(lifted);
        Assert.True(lifted.Equals(g));
        Assert.True(Secp256k1.LiftX(g.AffineXCoord.ToBigInteger(), oddY: true)!.Equals(g.Negate()));
    }

    [Fact]
    public void LiftXRejectsOutOfRange()
    {
        Assert.Null(Secp256k1.LiftX(Secp256k1.P, oddY: false));
        Assert.Null(Secp256k1.LiftX(BigInteger.One.Negate(), oddY: false));
        Assert.Null(Secp256k1.LiftX(new byte[31]));
    }

    [Fact]
    public void CompressedPointsMatchBouncyCastle()
    {
        for (var i = 0; i < 8; i++)
        {
            var point = Secp256k1.MultiplyG(PrivateKey.Generate().Scalar);
            var encoded = new byte[33];
            Secp256k1.WriteCompressed(point, encoded);

            Assert.Equal(point.GetEncoded(compressed: true), encoded);
            Assert.True(Secp256k1.DecodeCompressed(encoded)!.Equals(point));
        }

        Assert.Null(Secp256k1.DecodeCompressed(new byte[33]));
        Assert.Null(Secp256k1.DecodeCompressed(new byte[32]));
    }

    [Fact]
    public void WriteScalarPadsOnTheLeft()
    {
        var buffer = new byte[32];
        Array.Fill(buffer, (byte)0xee);
        Secp256k1.WriteScalar(BigInteger.ValueOf(3), buffer);
        Assert.Equal("0000000000000000000000000000000000000000000000000000000000000003", Hex.Encode(buffer));
    }
}
