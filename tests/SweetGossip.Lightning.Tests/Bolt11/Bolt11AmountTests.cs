using SweetGossip.Lightning.Bolt11;

namespace SweetGossip.Lightning.Tests.Bolt11;

public sealed class Bolt11AmountTests
{
    [Theory]
    [InlineData("2500u", 250_000_000UL)]
    [InlineData("20m", 2_000_000_000UL)]
    [InlineData("25m", 2_500_000_000UL)]
    [InlineData("9678785340p", 967_878_534UL)]
    [InlineData("1", 100_000_000_000UL)]
    [InlineData("21000000", 2_100_000_000_000_000_000UL)]
    [InlineData("1n", 100UL)]
    [InlineData("10p", 1UL)]
    [InlineData("0010m", 1_000_000_000UL)] // leading zeros: writers must not, readers are not told to fail
    public void Decodes_amounts(string amount, ulong msat) => Assert.Equal(msat, Bolt11Amount.Decode(amount));

    [Theory]
    [InlineData(250_000_000UL, "2500u")]
    [InlineData(2_000_000_000UL, "20m")]
    [InlineData(967_878_534UL, "9678785340p")]
    [InlineData(100_000_000_000UL, "1")]
    [InlineData(1_000_000_000UL, "10m")]
    [InlineData(100UL, "1n")]
    [InlineData(1UL, "10p")]
    [InlineData(110UL, "1100p")]
    [InlineData(123_400UL, "1234n")]
    [InlineData(ulong.MaxValue, "184467440737095516150p")]
    public void Encodes_with_the_largest_exact_multiplier(ulong msat, string amount)
    {
        Assert.Equal(amount, Bolt11Amount.Encode(msat));
        Assert.Equal(msat, Bolt11Amount.Decode(amount));
    }

    [Theory]
    [InlineData("2500x", Bolt11Reasons.InvalidMultiplier)]
    [InlineData("2500M", Bolt11Reasons.InvalidMultiplier)]
    [InlineData("2500000001p", Bolt11Reasons.InvalidPicoAmount)]
    [InlineData("1p", Bolt11Reasons.InvalidPicoAmount)]
    [InlineData("m", Bolt11Reasons.InvalidAmount)]
    [InlineData("0", Bolt11Reasons.InvalidAmount)]
    [InlineData("000m", Bolt11Reasons.InvalidAmount)]
    [InlineData("25a0m", Bolt11Reasons.InvalidAmount)]
    [InlineData("184467440737095516160p", Bolt11Reasons.InvalidAmount)] // one msat over ulong.MaxValue
    [InlineData("1000000000000000000000000000000000000000000000", Bolt11Reasons.InvalidAmount)]
    public void Rejects_malformed_amounts(string amount, string reason)
        => Assert.Equal(reason, Assert.Throws<Bolt11FormatException>(() => Bolt11Amount.Decode(amount)).Reason);

    [Fact]
    public void Zero_cannot_be_encoded()
        => Assert.Throws<ArgumentOutOfRangeException>(() => Bolt11Amount.Encode(0));

    [Fact]
    public void Encoded_pico_amounts_always_end_in_zero()
    {
        var random = new Random(11);
        for (var i = 0; i < 1000; i++)
        {
            var msat = (ulong)random.NextInt64(1, long.MaxValue);
            var text = Bolt11Amount.Encode(msat);
            if (text.EndsWith('p'))
            {
                Assert.EndsWith("0p", text);
            }

            Assert.Equal(msat, Bolt11Amount.Decode(text));
        }
    }
}
