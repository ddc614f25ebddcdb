using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

public class ConstantTimeTests
{
    [Fact]
    public void ComparesContents()
    {
        Assert.True(ConstantTime.Equals([1, 2, 3], [1, 2, 3]));
        Assert.True(ConstantTime.Equals([], []));
        Assert.False(ConstantTime.Equals([1, 2, 3], [1, 2, 4]));
    }

    [Fact]
    public void LengthMismatchIsFalse()
    {
        Assert.False(ConstantTime.Equals([1, 2, 3], [1, 2]));
        Assert.False(ConstantTime.Equals([], [0]));
    }
}
