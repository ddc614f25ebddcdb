using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Lightning.Tests.Embedded;

public class LightningNodeIdTests
{
    private const string G = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

    [Fact]
    public void Private_key_one_gives_the_generator()
    {
        var key = PrivateKey.FromHex("0000000000000000000000000000000000000000000000000000000000000001");

        var id = LightningNodeId.FromPrivateKey(key);

        Assert.Equal(G, id.ToHex());
        Assert.Equal(G, id.ToString());
        Assert.True(id.IsValid);
    }

    [Fact]
    public void Hex_and_bytes_round_trip_and_equality_is_by_value()
    {
        var id = LightningNodeId.FromHex(G.ToUpperInvariant());

        Assert.Equal(G, id.ToHex());
        Assert.Equal(id, LightningNodeId.FromBytes(id.ToBytes()));
        Assert.True(id == LightningNodeId.FromHex(G));
        Assert.Equal(id.GetHashCode(), LightningNodeId.FromHex(G).GetHashCode());
        Assert.NotEqual(id, default);
        Assert.False(default(LightningNodeId).IsValid);
    }

    [Theory]
    [InlineData("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")]                 // 32 bytes: x-only
    [InlineData("0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")]               // wrong prefix
    [InlineData("020000000000000000000000000000000000000000000000000000000000000005")]               // x³+7 not a square
    [InlineData("02fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30")]               // x ≥ p
    [InlineData("zz79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")]               // not hex
    public void Invalid_ids_are_refused(string hex)
    {
        Assert.Throws<FormatException>(() => LightningNodeId.FromHex(hex));
    }
}
