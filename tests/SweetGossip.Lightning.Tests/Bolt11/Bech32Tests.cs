using SweetGossip.Lightning.Bolt11;

namespace SweetGossip.Lightning.Tests.Bolt11;

/// <summary>BIP-173 test vectors and the bit-conversion helper.</summary>
public sealed class Bech32Tests
{
    [Theory]
    [InlineData("A12UEL5L")]
    [InlineData("a12uel5l")]
    [InlineData("an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs")]
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw")]
    [InlineData("11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j")]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w")]
    [InlineData("?1ezyfcl")]
    public void Bip173_valid_strings_decode_and_re_encode(string valid)
    {
        var (hrp, data) = Bech32.Decode(valid, maxLength: 90);
        Assert.Equal(valid.ToLowerInvariant(), Bech32.Encode(hrp, data));
        Assert.True(Bech32.TryDecode(valid, out _, out _));
    }

    [Theory]
    [InlineData("\u0020" + "1nwldj5", Bech32.Reasons.InvalidHrpCharacter)]
    [InlineData("\u007f" + "1axkwrx", Bech32.Reasons.InvalidHrpCharacter)]
    [InlineData("\u0080" + "1eym55h", Bech32.Reasons.InvalidHrpCharacter)]
    [InlineData("an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx", Bech32.Reasons.TooLong)]
    [InlineData("pzry9x0s0muk", Bech32.Reasons.MissingSeparator)]
    [InlineData("1pzry9x0s0muk", Bech32.Reasons.EmptyHrp)]
    [InlineData("x1b4n0q5v", Bech32.Reasons.InvalidDataCharacter)]
    [InlineData("li1dgmt3", Bech32.Reasons.ChecksumTooShort)]
    [InlineData("de1lg7wt" + "\u00ff", Bech32.Reasons.InvalidDataCharacter)]
    [InlineData("A1G7SGD8", Bech32.Reasons.BadChecksum)] // checksum computed over the upper-case HRP
    [InlineData("10a06t8", Bech32.Reasons.EmptyHrp)]
    [InlineData("1qzzfhee", Bech32.Reasons.EmptyHrp)]
    public void Bip173_invalid_strings_are_rejected_for_their_reason(string invalid, string reason)
    {
        var e = Assert.Throws<Bech32FormatException>(() => Bech32.Decode(invalid, maxLength: 90));
        Assert.Equal(reason, e.Reason);
        Assert.False(Bech32.TryDecode(invalid, out _, out _, maxLength: 90));
    }

    [Fact]
    public void Length_limit_is_only_applied_when_asked()
    {
        // BOLT 11 drops BIP-173's 90 character limit: a 91 character string with a valid checksum decodes.
        var data = new byte[83];
        var longString = Bech32.Encode("a", data);
        Assert.Equal(91, longString.Length);
        Assert.Equal(data, Bech32.Decode(longString).Data);
        Assert.Equal(Bech32.Reasons.TooLong, Assert.Throws<Bech32FormatException>(() => Bech32.Decode(longString, 90)).Reason);
    }

    [Fact]
    public void A_bech32m_checksum_is_a_bad_checksum()
    {
        // BIP-350's valid bech32m strings: BOLT 11 is bech32, so they must not decode.
        Assert.Equal(Bech32.Reasons.BadChecksum, Assert.Throws<Bech32FormatException>(() => Bech32.Decode("a1lqfn3a")).Reason);
        Assert.Equal(Bech32.Reasons.BadChecksum, Assert.Throws<Bech32FormatException>(() => Bech32.Decode("?1v759aa")).Reason);
    }

    [Fact]
    public void Upper_case_with_a_symbol_first_decodes()
    {
        Assert.Equal("?", Bech32.Decode("?1EZYFCL").Hrp);
    }

    [Fact]
    public void Mixed_case_is_rejected_but_all_upper_is_accepted()
    {
        Assert.Equal(Bech32.Reasons.MixedCase, Assert.Throws<Bech32FormatException>(() => Bech32.Decode("A12uEL5L")).Reason);
        Assert.Equal("a", Bech32.Decode("A12UEL5L").Hrp);
    }

    [Fact]
    public void Any_single_character_change_breaks_the_checksum()
    {
        const string valid = "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw";
        for (var i = valid.IndexOf('1') + 1; i < valid.Length; i++)
        {
            var replacement = valid[i] == 'q' ? 'p' : 'q';
            var mutated = valid[..i] + replacement + valid[(i + 1)..];
            Assert.Equal(Bech32.Reasons.BadChecksum, Assert.Throws<Bech32FormatException>(() => Bech32.Decode(mutated)).Reason);
        }
    }

    [Fact]
    public void Segwit_example_program_converts_between_5_and_8_bits()
    {
        // BIP-173 mainnet P2WPKH example: witness version 0 and the 20-byte key hash.
        var (hrp, data) = Bech32.Decode("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", 90);
        Assert.Equal("bc", hrp);
        Assert.Equal(0, data[0]);
        var program = Bech32.ConvertBits(data.AsSpan(1), 5, 8, pad: false);
        Assert.Equal("751e76e8199196d454941c45d1b3a323f1433bd6", Convert.ToHexString(program).ToLowerInvariant());
        Assert.Equal(data[1..], Bech32.ConvertBits(program, 8, 5, pad: true));
    }

    [Fact]
    public void ConvertBits_rejects_non_zero_or_excess_padding()
    {
        Assert.Throws<FormatException>(() => Bech32.ConvertBits([0, 1], 5, 8, pad: false)); // 2 padding bits, not zero
        Assert.Throws<FormatException>(() => Bech32.ConvertBits([0], 5, 8, pad: false)); // a whole spare 5-bit group
        Assert.Throws<FormatException>(() => Bech32.ConvertBits([32], 5, 8, pad: true)); // not a 5-bit value
        Assert.Equal(new byte[] { 0xff }, Bech32.ConvertBits([31, 28], 5, 8, pad: false));
    }

    [Fact]
    public void Encode_rejects_values_and_hrps_it_cannot_represent()
    {
        Assert.Throws<ArgumentException>(() => Bech32.Encode("a", [32]));
        Assert.Throws<ArgumentException>(() => Bech32.Encode(string.Empty, []));
        Assert.Throws<ArgumentException>(() => Bech32.Encode("a b", []));
    }
}
