using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

public class HexTests
{
    [Fact]
    public void RoundTripsLowercase()
    {
        byte[] bytes = [0x00, 0x01, 0xab, 0xcd, 0xef, 0xff];
        Assert.Equal("0001abcdefff", Hex.Encode(bytes));
        Assert.Equal(bytes, Hex.Decode("0001abcdefff"));
        Assert.Equal(bytes, Hex.Decode("0001ABCDEFFF"));
        Assert.Empty(Hex.Decode(""));
        Assert.Equal("", Hex.Encode([]));
    }

    [Fact]
    public void OddLengthIsNamed()
    {
        var e = Assert.Throws<CryptoFormatException>(() => Hex.Decode("abc"));
        Assert.Equal("hex string has odd length 3", e.Message);
    }

    [Theory]
    [InlineData("0g", "'g' at index 1")]
    [InlineData("0x12", "'x' at index 1")]
    [InlineData("12 4", "' ' at index 2")]
    [InlineData("12\n4", "U+000A at index 2")]
    public void InvalidCharacterIsNamed(string hex, string expected)
    {
        var e = Assert.Throws<CryptoFormatException>(() => Hex.Decode(hex));
        Assert.Contains(expected, e.Message);
    }
}
