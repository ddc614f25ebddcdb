using SweetGossip.Lightning.Bolt11;
using static SweetGossip.Lightning.Tests.Bolt11.RawInvoice;

namespace SweetGossip.Lightning.Tests.Bolt11;

/// <summary>Reader and writer rules beyond the spec's own examples.</summary>
public sealed class Bolt11CodecTests
{
    private static readonly byte[] Key = SpecVectors.PrivateKey;
    private static readonly byte[] OtherKey = Convert.FromHexString("0101010101010101010101010101010101010101010101010101010101010101");

    private static Bolt11Invoice Sample() => new()
    {
        Network = LightningNetwork.Mainnet,
        AmountMsat = 1_234_000,
        Timestamp = DateTimeOffset.FromUnixTimeSeconds(Timestamp),
        PaymentHash = Filled(32, 0xaa),
        PaymentSecret = Filled(32, 0x11),
        Description = "sample",
        Features = Bolt11Features.Of(8, 14),
    };

    private static string Reason(string invoice)
        => Assert.Throws<Bolt11FormatException>(() => Bolt11Codec.Decode(invoice)).Reason;

    [Fact]
    public void Minimal_raw_invoice_decodes()
    {
        var invoice = Bolt11Codec.Decode(Sign("lnbc", Minimal(), Key));
        Assert.Equal("test", invoice.Description);
        Assert.Equal(SpecVectors.Hex(SpecVectors.PayeeNodeIdHex), invoice.PayeeNodeId);
    }

    [Fact]
    public void Both_description_and_hash_are_refused()
        => Assert.Equal(Bolt11Reasons.MultipleDescriptions, Reason(Sign("lnbc", [.. Minimal(), DescriptionHash()], Key)));

    [Fact]
    public void Two_descriptions_are_refused()
        => Assert.Equal(Bolt11Reasons.MultipleDescriptions, Reason(Sign("lnbc", [.. Minimal(), Description("again")], Key)));

    [Fact]
    public void Neither_description_nor_hash_is_refused()
        => Assert.Equal(Bolt11Reasons.MissingDescription, Reason(Sign("lnbc", [PaymentSecret(), PaymentHash(), Features()], Key)));

    [Fact]
    public void Missing_payment_hash_is_refused()
        => Assert.Equal(Bolt11Reasons.MissingPaymentHash, Reason(Sign("lnbc", [PaymentSecret(), Description(), Features()], Key)));

    [Fact]
    public void Payment_hash_of_the_wrong_length_is_skipped_so_the_hash_is_missing()
        => Assert.Equal(
            Bolt11Reasons.MissingPaymentHash,
            Reason(Sign("lnbc", [PaymentSecret(), ('p', new byte[51]), Description(), Features()], Key)));

    [Fact]
    public void Payment_secret_of_the_wrong_length_is_skipped_so_the_secret_is_missing()
        => Assert.Equal(
            Bolt11Reasons.MissingPaymentSecret,
            Reason(Sign("lnbc", [('s', new byte[53]), PaymentHash(), Description(), Features()], Key)));

    [Fact]
    public void First_valid_payment_hash_wins()
    {
        var invoice = Bolt11Codec.Decode(Sign("lnbc", [('p', new byte[51]), PaymentHash(0x01), PaymentHash(0x02), .. Minimal()[2..], PaymentSecret()], Key));
        Assert.Equal(Filled(32, 0x01), invoice.PaymentHash);
        Assert.Single(invoice.UnknownTags);
    }

    [Fact]
    public void Explicit_payee_node_id_round_trips_and_is_checked()
    {
        var sample = Sample() with { ExplicitPayeeNodeId = true };
        var encoded = Bolt11Codec.Encode(sample, Key);
        Assert.Contains("np4q0n326hr8v9zprg8gsvezcch06gfaqqhde2aj730yg0durunfhv66", encoded, StringComparison.Ordinal);
        var decoded = Bolt11Codec.Decode(encoded);
        Assert.True(decoded.ExplicitPayeeNodeId);
        Assert.Equal(sample with { PayeeNodeId = Bolt11Codec.GetPublicKey(Key) }, decoded);
    }

    [Fact]
    public void Payee_node_id_field_naming_another_key_is_refused()
    {
        var otherNodeId = ('n', Words(Bolt11Codec.GetPublicKey(OtherKey)));
        Assert.Equal(Bolt11Reasons.SignatureMismatch, Reason(Sign("lnbc", [.. Minimal(), otherNodeId], Key)));
    }

    [Fact]
    public void Payee_node_id_field_off_the_curve_is_refused()
    {
        var notAPoint = new byte[33];
        notAPoint[0] = 0x02;
        notAPoint[32] = 5;
        Assert.Equal(Bolt11Reasons.InvalidPayeeNodeId, Reason(Sign("lnbc", [.. Minimal(), ('n', Words(notAPoint))], Key)));
    }

    [Fact]
    public void High_S_is_accepted_for_recovery_but_not_with_an_explicit_node_id()
    {
        static byte[] Negate(byte[] signature65)
        {
            var n = System.Numerics.BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", System.Globalization.NumberStyles.HexNumber);
            var s = new System.Numerics.BigInteger(signature65.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
            var negated = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
            var result = (byte[])signature65.Clone();
            Array.Clear(result, 32, 32);
            negated.CopyTo(result, 64 - negated.Length);
            result[64] ^= 1; // R's parity flips with S
            return result;
        }

        var recovered = Bolt11Codec.Decode(Sign("lnbc", Minimal(), Key, tamper: Negate));
        Assert.Equal(Bolt11Codec.GetPublicKey(Key), recovered.PayeeNodeId);

        var nodeId = ('n', Words(Bolt11Codec.GetPublicKey(Key)));
        Assert.Equal(Bolt11Reasons.HighSSignature, Reason(Sign("lnbc", [.. Minimal(), nodeId], Key, tamper: Negate)));
        Assert.True(Bolt11Codec.Decode(Sign("lnbc", [.. Minimal(), nodeId], Key)).ExplicitPayeeNodeId);
    }

    [Fact]
    public void Recovery_id_above_three_is_refused()
        => Assert.Equal(Bolt11Reasons.InvalidRecoveryId, Reason(Sign("lnbc", Minimal(), Key, tamper: s => [.. s[..64], 4])));

    [Fact]
    public void Tampering_without_an_explicit_node_id_changes_the_recovered_payee()
    {
        // Recovery always yields some key: the payee is only authenticated against an expected node id.
        var encoded = Bolt11Codec.Encode(Sample(), Key);
        var changedAmount = Bech32.Encode("lnbc12350n", Bech32.Decode(encoded).Data);
        var decoded = Bolt11Codec.Decode(changedAmount);
        Assert.Equal(1_235_000UL, decoded.AmountMsat);
        Assert.NotEqual(Bolt11Codec.GetPublicKey(Key), decoded.PayeeNodeId);

        var withNodeId = Bolt11Codec.Encode(Sample() with { ExplicitPayeeNodeId = true }, Key);
        var tampered = Bech32.Encode("lnbc12350n", Bech32.Decode(withNodeId).Data);
        Assert.Equal(Bolt11Reasons.SignatureMismatch, Reason(tampered));
    }

    [Theory]
    [InlineData("lnxy", Bolt11Reasons.UnknownPrefix)]
    [InlineData("lnbcx", Bolt11Reasons.UnknownPrefix)]
    [InlineData("bc", Bolt11Reasons.UnknownPrefix)]
    [InlineData("lnbc1m5", Bolt11Reasons.InvalidAmount)]
    [InlineData("lnbc25mm", Bolt11Reasons.InvalidAmount)]
    public void Malformed_human_readable_parts_are_refused(string hrp, string reason)
        => Assert.Equal(reason, Reason(Sign(hrp, Minimal(), Key)));

    [Theory]
    [InlineData(LightningNetwork.Mainnet, "lnbc")]
    [InlineData(LightningNetwork.Testnet, "lntb")]
    [InlineData(LightningNetwork.Signet, "lntbs")]
    [InlineData(LightningNetwork.Regtest, "lnbcrt")]
    public void Every_network_prefix_round_trips(LightningNetwork network, string prefix)
    {
        foreach (ulong? amount in new ulong?[] { null, 10_000_000, 1 })
        {
            var invoice = Sample() with { Network = network, AmountMsat = amount };
            var encoded = Bolt11Codec.Encode(invoice, Key);
            Assert.StartsWith(prefix + (amount is null ? "1" : Bolt11Amount.Encode(amount.Value) + "1"), encoded, StringComparison.Ordinal);
            Assert.Equal(invoice with { PayeeNodeId = Bolt11Codec.GetPublicKey(Key) }, Bolt11Codec.Decode(encoded));
        }
    }

    [Fact]
    public void Lightning_uri_scheme_is_accepted()
    {
        var encoded = Bolt11Codec.Encode(Sample(), Key);
        Assert.Equal(Bolt11Codec.Decode(encoded), Bolt11Codec.Decode("lightning:" + encoded));
        Assert.Equal(Bolt11Codec.Decode(encoded), Bolt11Codec.Decode("LIGHTNING:" + encoded.ToUpperInvariant()));
    }

    [Fact]
    public void Field_running_past_the_signature_is_refused()
        => Assert.Equal(Bolt11Reasons.TruncatedField, Reason(TruncatedInvoice()));

    private static string TruncatedInvoice()
    {
        // A field header claiming 40 words when only the signature follows.
        var valid = Bech32.Decode(Sign("lnbc", Minimal(), Key)).Data;
        var signed = valid[..^104];
        byte[] words = [.. signed, 6, 1, 8, .. valid[^104..]];
        return Bech32.Encode("lnbc", words);
    }

    [Fact]
    public void Invalid_utf8_description_is_refused()
        => Assert.Equal(
            Bolt11Reasons.InvalidDescription,
            Reason(Sign("lnbc", [PaymentSecret(), PaymentHash(), ('d', Words([0xc3, 0x28])), Features()], Key)));

    [Fact]
    public void Route_hint_of_a_partial_hop_is_refused()
        => Assert.Equal(Bolt11Reasons.InvalidRouteHint, Reason(Sign("lnbc", [.. Minimal(), ('r', Words(new byte[50]))], Key)));

    [Fact]
    public void Fallback_with_a_bad_program_length_is_refused_but_unknown_versions_are_skipped()
    {
        Assert.Equal(Bolt11Reasons.InvalidFallbackAddress, Reason(Sign("lnbc", [.. Minimal(), ('f', [0, .. Words(new byte[25])])], Key)));
        var skipped = Bolt11Codec.Decode(Sign("lnbc", [.. Minimal(), ('f', [31, .. Words(new byte[25])])], Key));
        Assert.Empty(skipped.FallbackAddresses);
        Assert.Equal('f', Assert.Single(skipped.UnknownTags).Tag);
    }

    [Fact]
    public void Expiry_that_overflows_64_bits_is_refused()
        => Assert.Equal(Bolt11Reasons.InvalidExpiry, Reason(Sign("lnbc", [.. Minimal(), ('x', Filled(14, 31))], Key)));

    [Fact]
    public void Basic_mpp_without_payment_secret_feature_is_refused()
        => Assert.Equal(
            Bolt11Reasons.MissingFeatureDependency,
            Reason(Sign("lnbc", [PaymentSecret(), PaymentHash(), Description(), ('9', Bolt11Features.Of(8, 17).ToWords())], Key)));

    [Fact]
    public void Zero_expiry_is_written_as_an_empty_field()
    {
        var invoice = Sample() with { ExpirySeconds = 0, MinFinalCltvExpiry = 0 };
        var decoded = Bolt11Codec.Decode(Bolt11Codec.Encode(invoice, Key));
        Assert.Equal(0UL, decoded.ExpirySeconds);
        Assert.Equal(0UL, decoded.MinFinalCltvExpiry);
        Assert.Equal(decoded.Timestamp, decoded.ExpiresAt);
    }

    [Fact]
    public void Expires_at_saturates()
    {
        var invoice = Sample() with { ExpirySeconds = ulong.MaxValue };
        Assert.Equal(DateTimeOffset.MaxValue, invoice.ExpiresAt);
        Assert.Equal(invoice with { PayeeNodeId = Bolt11Codec.GetPublicKey(Key) }, Bolt11Codec.Decode(Bolt11Codec.Encode(invoice, Key)));
    }

    [Fact]
    public void Writer_refuses_invoices_a_reader_would_reject()
    {
        Assert.Throws<ArgumentException>(() => Bolt11Codec.Encode(Sample() with { PaymentSecret = null }, Key));
        Assert.Throws<ArgumentException>(() => Bolt11Codec.Encode(Sample() with { DescriptionHash = Filled(32, 1) }, Key));
        Assert.Throws<ArgumentException>(() => Bolt11Codec.Encode(Sample() with { Description = null }, Key));
        Assert.Throws<ArgumentException>(() => Bolt11Codec.Encode(Sample() with { Features = Bolt11Features.Of(8, 14, 100) }, Key));
        Assert.Throws<ArgumentException>(() => Bolt11Codec.Encode(Sample() with { Features = Bolt11Features.Of(8) }, Key));
        Assert.Throws<ArgumentException>(() => Bolt11Codec.Encode(Sample() with { Features = Bolt11Features.Of(14, 5201) }, Key));
        Assert.Throws<ArgumentException>(() => Bolt11Codec.Encode(Sample() with { AmountMsat = 0 }, Key));
        Assert.Throws<ArgumentException>(() => Bolt11Codec.Encode(Sample() with { Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(1_500) }, Key));
        Assert.Throws<ArgumentException>(() => Bolt11Codec.Encode(Sample() with { Timestamp = DateTimeOffset.FromUnixTimeSeconds(1L << 35) }, Key));
        Assert.Throws<ArgumentException>(() => Bolt11Codec.Encode(Sample() with { Description = new string('x', 640) }, Key));
        Assert.Throws<ArgumentException>(() => Bolt11Codec.Encode(Sample() with { UnknownTags = [new Bolt11UnknownField(1, new byte[52])] }, Key));
        Assert.Throws<ArgumentException>(() => Bolt11Codec.Encode(Sample() with { PayeeNodeId = Bolt11Codec.GetPublicKey(OtherKey) }, Key));

        // The limits themselves are fine.
        var longest = Sample() with { Description = new string('x', 639), Timestamp = DateTimeOffset.FromUnixTimeSeconds((1L << 35) - 1) };
        Assert.Equal(longest.Description, Bolt11Codec.Decode(Bolt11Codec.Encode(longest, Key)).Description);
    }

    [Fact]
    public void Writer_emits_defaults_only_when_they_differ()
    {
        var encoded = Bolt11Codec.Encode(Sample(), Key);
        var tags = ReadTags(encoded);
        Assert.Equal("spd9", tags);

        var withAll = Bolt11Codec.Encode(
            Sample() with
            {
                ExpirySeconds = 60,
                MinFinalCltvExpiry = 40,
                Metadata = [1, 2],
                ExplicitPayeeNodeId = true,
                FallbackAddresses = [new FallbackAddress(0, new byte[20]), new FallbackAddress(18, new byte[20])],
                UnknownTags = [new Bolt11UnknownField(0, [1, 2, 3])],
            },
            Key);
        Assert.Equal("spdmnxcff9q", ReadTags(withAll));
    }

    private static string ReadTags(string invoice)
    {
        var data = Bech32.Decode(invoice).Data;
        var tags = new System.Text.StringBuilder();
        for (var i = 7; i < data.Length - 104;)
        {
            tags.Append(Bech32.Charset[data[i]]);
            i += 3 + (data[i + 1] << 5) + data[i + 2];
        }

        return tags.ToString();
    }

    [Fact]
    public void Invoice_is_immutable_and_compared_by_value()
    {
        var hash = Filled(32, 0xaa);
        var invoice = Sample() with { PaymentHash = hash };
        hash[0] = 0;
        invoice.PaymentHash[0] = 0;
        Assert.Equal(0xaa, invoice.PaymentHash[0]);
        Assert.Equal(Sample(), invoice);
        Assert.Equal(Sample().GetHashCode(), invoice.GetHashCode());
        Assert.NotEqual(Sample(), invoice with { PaymentHash = Filled(32, 0xab) });
        Assert.NotEqual(Sample(), invoice with { Metadata = [] });
        Assert.Throws<ArgumentException>(() => Sample() with { PaymentHash = new byte[31] });
        Assert.Throws<ArgumentException>(() => Sample() with { PayeeNodeId = new byte[32] });
    }

    [Fact]
    public void Feature_words_round_trip_minimally()
    {
        var features = Bolt11Features.Of(8, 14, 99);
        var words = features.ToWords();
        Assert.Equal(20, words.Length);
        Assert.NotEqual(0, words[0]);
        Assert.Equal(features, Bolt11Features.FromWords(words));
        Assert.Equal(features, Bolt11Features.FromWords([0, 0, .. words])); // leading zero words carry no bits
        Assert.Empty(Bolt11Features.Empty.ToWords());
        Assert.Equal(new[] { 100 }, Bolt11Features.Of(8, 14, 99, 100).UnknownCompulsoryBits());
    }
}
