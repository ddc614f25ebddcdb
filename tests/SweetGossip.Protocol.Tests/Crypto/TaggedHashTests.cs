using System.Security.Cryptography;
using System.Text;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

public class TaggedHashTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(448)] // just fits the stack buffer (64 + 448 = 512)
    [InlineData(449)] // first size hashed incrementally
    [InlineData(10_000)]
    public void MatchesTheDefinition(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);

        Assert.Equal(Reference("SweetGossip/test", data), TaggedHash.Compute("SweetGossip/test", data));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(10, 20)]
    [InlineData(300, 300)]
    public void TwoPartsHashTheirConcatenation(int length1, int length2)
    {
        var data = new byte[length1 + length2];
        new Random(length1).NextBytes(data);

        Assert.Equal(
            TaggedHash.Compute("tag", data),
            TaggedHash.Compute("tag", data.AsSpan(0, length1), data.AsSpan(length1)));
    }

    [Fact]
    public void DifferentTagsDiffer()
    {
        Assert.NotEqual(TaggedHash.Compute("a", "x"u8), TaggedHash.Compute("b", "x"u8));
    }

    private static byte[] Reference(string tag, byte[] data)
    {
        var tagHash = SHA256.HashData(Encoding.UTF8.GetBytes(tag));
        return SHA256.HashData([.. tagHash, .. tagHash, .. data]);
    }
}
