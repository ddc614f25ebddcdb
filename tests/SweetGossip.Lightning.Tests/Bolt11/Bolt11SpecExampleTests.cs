using SweetGossip.Lightning.Bolt11;
using static SweetGossip.Lightning.Tests.Bolt11.SpecVectors;

namespace SweetGossip.Lightning.Tests.Bolt11;

/// <summary>The BOLT 11 "Examples" and "Examples of Invalid Invoices" sections.</summary>
public sealed class Bolt11SpecExampleTests
{
    private static readonly Bolt11Features Features8And14 = Bolt11Features.Of(8, 14);

    /// <summary>The fields every example shares unless it says otherwise.</summary>
    private static Bolt11Invoice Base(LightningNetwork network = LightningNetwork.Mainnet, ulong? amountMsat = null) => new()
    {
        Network = network,
        AmountMsat = amountMsat,
        Timestamp = DateTimeOffset.FromUnixTimeSeconds(SpecVectors.Timestamp),
        PaymentHash = Hex(PaymentHashHex),
        PaymentSecret = Hex(PaymentSecretHex),
        PayeeNodeId = Hex(PayeeNodeIdHex),
        Features = Features8And14,
    };

    private static Bolt11Invoice Hashed(LightningNetwork network = LightningNetwork.Mainnet)
        => Base(network, 2_000_000_000) with { DescriptionHash = Hex(DescriptionHashHex) };

    private static Bolt11Invoice CoffeeBeansInvoice() => Base(amountMsat: 2_500_000_000) with
    {
        Description = "coffee beans",
        Features = Bolt11Features.Of(8, 14, 99),
    };

    /// <summary>
    /// Name, invoice string, expected decoding, and the order of the tagged fields in the spec's string
    /// (the order the spec's writer used; needed to reproduce the string byte for byte).
    /// </summary>
    public static TheoryData<string, string, Bolt11Invoice, string> ValidExamples() => new()
    {
        {
            "donation, any amount", Donation,
            Base() with { Description = "Please consider supporting this project" },
            "spd9"
        },
        {
            "$3 cup of coffee within one minute", CupOfCoffee,
            Base(amountMsat: 250_000_000) with { Description = "1 cup coffee", ExpirySeconds = 60 },
            "spdx9"
        },
        {
            "cup of nonsense (UTF-8 description)", CupOfNonsense,
            Base(amountMsat: 250_000_000) with { Description = "ナンセンス 1杯", ExpirySeconds = 60 },
            "spdx9"
        },
        {
            "hashed description", HashedDescription,
            Hashed(),
            "sph9"
        },
        {
            "testnet with P2PKH fallback", TestnetP2Pkh,
            Hashed(LightningNetwork.Testnet) with
            {
                FallbackAddresses = [new FallbackAddress(17, Hex("3172b5654f6683c8fb146959d347ce303cae4ca7"))],
            },
            "shpf9"
        },
        {
            "P2PKH fallback and two-hop route hint", MainnetP2PkhWithRoute,
            Hashed() with
            {
                FallbackAddresses = [new FallbackAddress(17, Hex("04b61f7dc1ea0dc99424464cc4064dc564d91e89"))],
                RouteHints =
                [
                    new RouteHint(
                        new RouteHintHop(Hex("029e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255"), 0x0102030405060708, 1, 20, 3),
                        new RouteHintHop(Hex("039e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255"), 0x030405060708090a, 2, 30, 4)),
                ],
            },
            "sphfr9"
        },
        {
            "P2SH fallback", MainnetP2Sh,
            Hashed() with { FallbackAddresses = [new FallbackAddress(18, Hex("8f55563b9a19f321c211e9b9f38cdf686ea07845"))] },
            "shpf9"
        },
        {
            "P2WPKH fallback", MainnetP2Wpkh,
            Hashed() with { FallbackAddresses = [new FallbackAddress(0, Hex("751e76e8199196d454941c45d1b3a323f1433bd6"))] },
            "shpf9"
        },
        {
            "P2WSH fallback", MainnetP2Wsh,
            Hashed() with
            {
                FallbackAddresses = [new FallbackAddress(0, Hex("1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"))],
            },
            "shpf9"
        },
        {
            "P2TR fallback", MainnetP2Tr,
            Hashed() with
            {
                FallbackAddresses = [new FallbackAddress(1, Hex("0adac43daa9c8a5a68e09ea10692b82226ee190e572db9b90e17a410484ab405"))],
            },
            "sphf9"
        },
        {
            "pico amount, one week expiry, min_final_cltv_expiry 10, route hint", PicoAmount,
            Base(amountMsat: 967_878_534) with
            {
                Timestamp = DateTimeOffset.FromUnixTimeSeconds(1572468703),
                PaymentHash = Hex("462264ede7e14047e9b249da94fefc47f41f7d02ee9b091815a5506bc8abf75f"),
                Description = "Blockstream Store: 88.85 USD for Blockstream Ledger Nano S x 1, \"Back In My Day\" Sticker x 2, \"I Got Lightning Working\" Sticker x 2 and 1 more items",
                ExpirySeconds = 604800,
                MinFinalCltvExpiry = 10,
                RouteHints =
                [
                    new RouteHint(new RouteHintHop(
                        Hex("03d06758583bb5154774a6eb221b1276c9e82d65bbaceca806d90e20c108f4b1c7"),
                        (589390UL << 40) | (3312UL << 16) | 1UL,
                        1000,
                        2500,
                        40)),
                ],
            },
            "pdsxcr9"
        },
        {
            "coffee beans, features 8, 14 and 99", CoffeeBeans,
            CoffeeBeansInvoice(),
            "pds9"
        },
        {
            "coffee beans, upper case", CoffeeBeansUpperCase,
            CoffeeBeansInvoice(),
            "pds9"
        },
        {
            "coffee beans with fields a reader must skip", CoffeeBeansWithIgnoredFields,
            CoffeeBeansInvoice() with
            {
                UnknownTags =
                [
                    new Bolt11UnknownField(10, new byte[3]), // '2': unknown type
                    new Bolt11UnknownField(9, [19, .. new byte[32]]), // 'f' version 19
                    new Bolt11UnknownField(1, new byte[51]), // 'p' of length 51
                    new Bolt11UnknownField(1, new byte[53]), // 'p' of length 53
                    new Bolt11UnknownField(23, new byte[51]), // 'h' of length 51
                    new Bolt11UnknownField(23, new byte[53]), // 'h' of length 53
                    new Bolt11UnknownField(16, new byte[51]), // 's' of length 51
                    new Bolt11UnknownField(16, new byte[53]), // 's' of length 53
                    new Bolt11UnknownField(19, new byte[52]), // 'n' of length 52
                    new Bolt11UnknownField(19, new byte[54]), // 'n' of length 54
                ],
            },
            "pds9"
        },
        {
            "payment metadata 0x01fafaf0", PaymentMetadata,
            Base(amountMsat: 1_000_000_000) with
            {
                Description = "payment metadata inside",
                Metadata = Hex("01fafaf0"),
                Features = Bolt11Features.Of(8, 14, 48),
            },
            "pdms9"
        },
        {
            // The donation invoice with S replaced by n - S but the recovery id (1) left as it was. Readers must
            // accept high-S when recovering, and do: SEC 1 / libsecp256k1 recovery of (r, n - s, 1) yields the
            // key below, not the spec's 03e7156a... (that needs recovery id 0 with the negated S; the spec does
            // not list the expected node id for this example).
            "public-key recovery with high-S signature", HighSRecovery,
            Base() with
            {
                Description = "Please consider supporting this project",
                PayeeNodeId = Hex(HighSRecoveredNodeIdHex),
            },
            "spd9"
        },
    };

    [Theory]
    [MemberData(nameof(ValidExamples))]
    public void Valid_example_decodes_to_the_documented_fields(string name, string invoice, Bolt11Invoice expected, string tagOrder)
    {
        _ = tagOrder;
        var decoded = Bolt11Codec.Decode(invoice);
        Assert.True(expected.Equals(decoded), $"{name}\nexpected: {expected}\nactual:   {decoded}");
    }

    [Theory]
    [MemberData(nameof(ValidExamples))]
    public void Valid_example_is_reproduced_exactly_when_fields_are_written_in_its_order(string name, string invoice, Bolt11Invoice expected, string tagOrder)
    {
        var decoded = Bolt11Codec.Decode(invoice);

        if (invoice == HighSRecovery)
        {
            // Not a writer's output: the spec negated S by hand (and its recovery id then names another key, see
            // ValidExamples). Signed by the spec key, our writer normalises S to the low half and picks the right
            // recovery id, which gives back the RFC 6979 donation example: the same fields with the original S.
            var signedBySpecKey = decoded with { PayeeNodeId = Hex(PayeeNodeIdHex) };
            var normalised = Bolt11Codec.Encode(signedBySpecKey, PrivateKey, tagOrder);
            Assert.Equal(Donation, normalised);
            Assert.Equal(signedBySpecKey, Bolt11Codec.Decode(normalised));
            return;
        }

        // RFC 6979 signatures are deterministic, so signature and checksum match too. The upper-case
        // example comes back lower case (writers emit lower case).
        var reencoded = Bolt11Codec.Encode(decoded, PrivateKey, tagOrder);
        Assert.True(invoice.ToLowerInvariant() == reencoded, $"{name}\nexpected: {invoice.ToLowerInvariant()}\nactual:   {reencoded}");
        Assert.Equal(expected, Bolt11Codec.Decode(reencoded));
    }

    [Theory]
    [MemberData(nameof(ValidExamples))]
    public void Valid_example_canonical_encoding_matches_or_round_trips(string name, string invoice, Bolt11Invoice expected, string tagOrder)
    {
        var decoded = Bolt11Codec.Decode(invoice);
        if (invoice == HighSRecovery)
        {
            // Its recovered payee is not the spec key (see ValidExamples); sign it as the spec key's invoice.
            decoded = decoded with { PayeeNodeId = Hex(PayeeNodeIdHex) };
            expected = decoded;
        }

        var canonical = Bolt11Codec.Encode(decoded, PrivateKey);
        var canonicalOrder = string.Concat(Bolt11Codec.CanonicalTagOrder.Where(tagOrder.Contains));

        if (tagOrder == canonicalOrder && invoice != HighSRecovery)
        {
            // The spec's writer happened to use our canonical field order: byte-for-byte identical.
            Assert.True(invoice.ToLowerInvariant() == canonical, $"{name}\nexpected: {invoice.ToLowerInvariant()}\nactual:   {canonical}");
        }
        else
        {
            // The spec wrote the fields in another order (or, for high-S, with a non-normalised signature),
            // so the canonical string differs; it must still decode to the same invoice.
            Assert.NotEqual(invoice.ToLowerInvariant(), canonical);
        }

        Assert.Equal(expected, Bolt11Codec.Decode(canonical));
    }

    [Fact]
    public void Examples_in_canonical_order_are_reproduced_exactly()
    {
        // These examples list s, p, d/h, x, f, r, 9 in the order the canonical writer uses.
        foreach (var invoice in new[] { Donation, CupOfCoffee, CupOfNonsense, HashedDescription, MainnetP2PkhWithRoute, MainnetP2Tr })
        {
            Assert.Equal(invoice, Bolt11Codec.Encode(Bolt11Codec.Decode(invoice), PrivateKey));
        }
    }

    [Fact]
    public void Spec_private_key_is_the_example_payee()
        => Assert.Equal(PayeeNodeIdHex, Convert.ToHexString(Bolt11Codec.GetPublicKey(PrivateKey)).ToLowerInvariant());

    [Fact]
    public void Hashed_description_matches_the_long_description()
    {
        var invoice = Bolt11Codec.Decode(HashedDescription);
        Assert.Null(invoice.Description);
        Assert.True(invoice.DescriptionHashMatches(LongDescription));
        Assert.False(invoice.DescriptionHashMatches(LongDescription + "."));
    }

    [Fact]
    public void Cup_of_coffee_expires_one_minute_after_its_timestamp()
    {
        var invoice = Bolt11Codec.Decode(CupOfCoffee);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(SpecVectors.Timestamp + 60), invoice.ExpiresAt);
        Assert.False(invoice.IsExpired(invoice.ExpiresAt));
        Assert.True(invoice.IsExpired(invoice.ExpiresAt.AddSeconds(1)));
        Assert.Equal(18UL, invoice.MinFinalCltvExpiry);
    }

    [Fact]
    public void Donation_uses_default_expiry_and_recovers_payee()
    {
        var invoice = Bolt11Codec.Decode(Donation);
        Assert.Null(invoice.AmountMsat);
        Assert.Equal(3600UL, invoice.ExpirySeconds);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(SpecVectors.Timestamp + 3600), invoice.ExpiresAt);
        Assert.False(invoice.ExplicitPayeeNodeId);
        Assert.Equal(Hex(PayeeNodeIdHex), invoice.PayeeNodeId);
    }

    [Fact]
    public void Pico_example_route_hint_short_channel_id_reads_as_block_tx_output()
    {
        var hop = Bolt11Codec.Decode(PicoAmount).RouteHints.Single().Hops.Single();
        Assert.Equal("589390x3312x1", hop.ShortChannelIdText);
    }

    [Fact]
    public void Route_example_short_channel_ids_match_the_breakdown()
    {
        var hops = Bolt11Codec.Decode(MainnetP2PkhWithRoute).RouteHints.Single().Hops;
        Assert.Equal("66051x263430x1800", hops[0].ShortChannelIdText);
        Assert.Equal("197637x395016x2314", hops[1].ShortChannelIdText);
    }

    [Fact]
    public void Coffee_beans_features_ignore_unknown_odd_bit_99()
    {
        var features = Bolt11Codec.Decode(CoffeeBeans).Features;
        Assert.True(features.IsSet(99));
        Assert.True(features.IsSet(Bolt11Features.PaymentSecret));
        Assert.True(features.IsSet(Bolt11Features.VarOnionOptin));
        Assert.False(features.IsSet(100));
        Assert.True(features.Supports(15));
        Assert.Empty(features.UnknownCompulsoryBits());
    }

    [Fact]
    public void Metadata_example_sets_payment_metadata_feature()
        => Assert.True(Bolt11Codec.Decode(PaymentMetadata).Features.IsSet(Bolt11Features.PaymentMetadata));

    public static TheoryData<string, string, string> InvalidExamples() => new()
    {
        { "unknown compulsory feature 100", InvalidUnknownFeature100, Bolt11Reasons.UnknownRequiredFeature },
        { "bech32 checksum is invalid", InvalidChecksum, Bolt11Reasons.BadChecksum },
        { "malformed bech32 string (no 1)", InvalidNoSeparator, Bolt11Reasons.MissingSeparator },
        { "malformed bech32 string (mixed case)", InvalidMixedCase, Bolt11Reasons.MixedCase },
        { "signature is not recoverable", InvalidSignatureNotRecoverable, Bolt11Reasons.SignatureNotRecoverable },
        { "string is too short", InvalidTooShort, Bolt11Reasons.TooShort },
        { "invalid multiplier", InvalidMultiplier, Bolt11Reasons.InvalidMultiplier },
        { "invalid sub-millisatoshi precision", InvalidSubMillisatoshi, Bolt11Reasons.InvalidPicoAmount },
        { "missing required s field", InvalidMissingPaymentSecret, Bolt11Reasons.MissingPaymentSecret },
        { "non canonical (high-S) signature with n field", InvalidHighSWithPayeeNodeId, Bolt11Reasons.HighSSignature },
    };

    [Theory]
    [MemberData(nameof(InvalidExamples))]
    public void Invalid_example_is_rejected_with_its_reason(string name, string invoice, string reason)
    {
        var e = Assert.Throws<Bolt11FormatException>(() => Bolt11Codec.Decode(invoice));
        Assert.True(reason == e.Reason, $"{name}: expected \"{reason}\", got \"{e.Reason}\" ({e.Message})");
        Assert.False(Bolt11Codec.TryDecode(invoice, out var result, out var tryReason));
        Assert.Null(result);
        Assert.Equal(reason, tryReason);
    }

    [Fact]
    public void Unknown_feature_100_is_named_in_the_message()
    {
        var e = Assert.Throws<Bolt11FormatException>(() => Bolt11Codec.Decode(InvalidUnknownFeature100));
        Assert.Contains("100", e.Message);
    }
}
