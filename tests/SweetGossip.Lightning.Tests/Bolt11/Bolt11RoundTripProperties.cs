using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SweetGossip.Lightning.Bolt11;

namespace SweetGossip.Lightning.Tests.Bolt11;

/// <summary>A random invoice and the key that signs it (its <see cref="Bolt11Invoice.PayeeNodeId"/> is that key's).</summary>
public sealed record InvoiceCase(Bolt11Invoice Invoice, byte[] PrivateKey)
{
    public override string ToString() => Invoice.ToString();
}

/// <summary>FsCheck generators for writer-valid invoices.</summary>
public static class InvoiceArbitraries
{
    // Tag types that BOLT 11 does not define (everything but p r 9 x f d s n h c m).
    private static readonly byte[] UndefinedTypes =
        [.. Enumerable.Range(0, 32).Select(i => (byte)i).Except(new byte[] { 1, 3, 5, 6, 9, 13, 16, 19, 23, 24, 27 })];

    // Pieces of description text, including multi-byte UTF-8 and a surrogate pair.
    private static readonly string[] TextPieces =
        ["a", "b", "z", "A", "Z", "0", "9", " ", "!", "\"", "'", "\\", "\n", "é", "€", "ナ", "ン", "セ", "杯", "😀", "1 cup coffee"];

    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    private static readonly Gen<byte> AnyWord = Gen.Choose(0, 31).Select(i => (byte)i);

    private static readonly Gen<ulong> AnyULong = Gen.ArrayOf(AnyByte, 8).Select(b => BitConverter.ToUInt64(b));

    private static readonly Gen<uint> AnyUInt = Gen.ArrayOf(AnyByte, 4).Select(b => BitConverter.ToUInt32(b));

    private static readonly Gen<ulong> InterestingULong = Gen.OneOf(
        Gen.Elements(0UL, 1UL, 18UL, 40UL, 3600UL, 604_800UL, ulong.MaxValue),
        Gen.Choose(0, 100_000).Select(i => (ulong)i),
        AnyULong);

    private static Gen<byte[]> Bytes(int length) => Gen.ArrayOf(AnyByte, length);

    private static Gen<byte[]> Bytes(int min, int max) => Gen.Choose(min, max).SelectMany(Bytes);

    private static Gen<byte[]> Words(int min, int max) => Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(AnyWord, n));

    private static Gen<T[]> Up<T>(int max, Gen<T> gen) => Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(gen, n));

    private static readonly Gen<byte[]> PrivateKey = Bytes(32).Select(k =>
    {
        k[0] &= 0x7f; // below the group order
        k[31] |= 1; // not zero
        return k;
    });

    private static readonly Gen<ulong?> Amount = Gen.OneOf(
        Gen.Constant<ulong?>(null),
        AnyULong.Where(a => a > 0).Select(a => (ulong?)a),
        Gen.Choose(1, 1_000_000).Select(a => (ulong?)(ulong)a),
        Gen.Choose(1, 1_000_000).Select(a => (ulong?)((ulong)a * 100_000)));

    private static readonly Gen<DateTimeOffset> Timestamp =
        from high in Gen.Choose(0, 15)
        from low in Gen.Choose(0, int.MaxValue)
        select DateTimeOffset.FromUnixTimeSeconds(((long)high << 31) | (long)low);

    private static readonly Gen<string> Text = Up(40, Gen.Elements(TextPieces)).Select(string.Concat);

    private static readonly Gen<FallbackAddress> Fallback = Gen.OneOf(
        Bytes(20).Select(p => new FallbackAddress(FallbackAddress.P2PkhVersion, p)),
        Bytes(20).Select(p => new FallbackAddress(FallbackAddress.P2ShVersion, p)),
        Gen.OneOf(Bytes(20), Bytes(32)).Select(p => new FallbackAddress(0, p)),
        from version in Gen.Choose(1, 16)
        from program in Bytes(2, 40)
        select new FallbackAddress((byte)version, program));

    private static readonly Gen<RouteHintHop> Hop =
        from nodeId in Bytes(33)
        from scid in AnyULong
        from feeBase in AnyUInt
        from feeProportional in AnyUInt
        from cltv in Gen.Choose(0, ushort.MaxValue)
        select new RouteHintHop(nodeId, scid, feeBase, feeProportional, (ushort)cltv);

    private static readonly Gen<RouteHint> Route = Gen.Frequency(
        (9, Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Hop, n))),
        (1, Gen.ArrayOf(Hop, RouteHint.MaxHops)))
        .Select(hops => new RouteHint(hops));

    private static readonly Gen<Bolt11Features> Features =
        from secret in Gen.Elements(14, 15)
        from known in Gen.SubListOf(new[] { 8, 9, 16, 17, 24, 25, 48, 49 })
        from odd in Up(4, Gen.Choose(0, 400).Select(i => (i * 2) + 1))
        select new Bolt11Features(known.Concat(odd).Append(secret));

    /// <summary>Fields every reader skips: undefined types, f versions 19..31, p/h/s/n of the wrong length.</summary>
    private static readonly Gen<Bolt11UnknownField> SkippedField = Gen.OneOf(
        from type in Gen.Elements(UndefinedTypes)
        from data in Words(0, 80)
        select new Bolt11UnknownField(type, data),
        from type in Gen.Elements<byte>(1, 16, 23)
        from data in Words(0, 70).Where(d => d.Length != 52)
        select new Bolt11UnknownField(type, data),
        from data in Words(0, 70).Where(d => d.Length != 53)
        select new Bolt11UnknownField(19, data),
        from version in Gen.Choose(19, 31)
        from data in Words(0, 40)
        select new Bolt11UnknownField(9, [(byte)version, .. data]));

    private static readonly Gen<InvoiceCase> Case =
        from key in PrivateKey
        from network in Gen.Elements(Enum.GetValues<LightningNetwork>())
        from amount in Amount
        from timestamp in Timestamp
        from paymentHash in Bytes(32)
        from paymentSecret in Bytes(32)
        from hashedDescription in Gen.Elements(false, true)
        from description in Text
        from descriptionHash in Bytes(32)
        from explicitPayee in Gen.Elements(false, true)
        from expiry in InterestingULong
        from cltv in InterestingULong
        from fallbacks in Up(3, Fallback)
        from routes in Up(3, Route)
        from features in Features
        from metadata in Gen.OneOf(Gen.Constant<byte[]?>(null), Bytes(0, 64).Select(m => (byte[]?)m))
        from unknown in Up(4, SkippedField)
        select new InvoiceCase(
            new Bolt11Invoice
            {
                Network = network,
                AmountMsat = amount,
                Timestamp = timestamp,
                PaymentHash = paymentHash,
                PaymentSecret = paymentSecret,
                Description = hashedDescription ? null : description,
                DescriptionHash = hashedDescription ? descriptionHash : null,
                PayeeNodeId = Bolt11Codec.GetPublicKey(key),
                ExplicitPayeeNodeId = explicitPayee,
                ExpirySeconds = expiry,
                MinFinalCltvExpiry = cltv,
                FallbackAddresses = fallbacks,
                RouteHints = routes,
                Features = features,
                Metadata = metadata,
                UnknownTags = unknown,
            },
            key);

    public static Arbitrary<InvoiceCase> Invoices() => Arb.From(Case);
}

public sealed class Bolt11RoundTripProperties
{
    [Property(Arbitrary = [typeof(InvoiceArbitraries)], MaxTest = 200)]
    public bool Encode_then_decode_gives_back_the_invoice(InvoiceCase testCase)
    {
        var encoded = Bolt11Codec.Encode(testCase.Invoice, testCase.PrivateKey);
        var decoded = Bolt11Codec.Decode(encoded);
        return decoded.Equals(testCase.Invoice)
               && Bolt11Codec.Encode(decoded, testCase.PrivateKey) == encoded // deterministic signature
               && Bolt11Codec.Decode(encoded.ToUpperInvariant()).Equals(testCase.Invoice);
    }

    [Property(Arbitrary = [typeof(InvoiceArbitraries)], MaxTest = 50)]
    public bool Invoice_signed_by_another_key_names_that_key(InvoiceCase testCase)
    {
        // PayeeNodeId left empty: the writer takes it from the signing key, and readers recover it.
        var anonymous = testCase.Invoice with { PayeeNodeId = [] };
        var decoded = Bolt11Codec.Decode(Bolt11Codec.Encode(anonymous, testCase.PrivateKey));
        return decoded.PayeeNodeId.AsSpan().SequenceEqual(Bolt11Codec.GetPublicKey(testCase.PrivateKey));
    }

    [Property(MaxTest = 500)]
    public bool Amount_round_trips(ulong msat, byte shift)
    {
        var amount = msat << (shift % 64);
        return amount == 0 || Bolt11Amount.Decode(Bolt11Amount.Encode(amount)) == amount;
    }

    [Property(MaxTest = 300)]
    public bool Bech32_round_trips(byte[] data, string hrpSeed)
    {
        var hrp = new string((hrpSeed ?? string.Empty).Where(c => c is >= (char)33 and <= (char)126).Take(20).ToArray());
        if (hrp.Length == 0)
        {
            hrp = "x";
        }

        var words = (data ?? []).Select(b => (byte)(b & 31)).ToArray();
        var (decodedHrp, decodedWords) = Bech32.Decode(Bech32.Encode(hrp, words));
        return decodedHrp == hrp.ToLowerInvariant() && decodedWords.AsSpan().SequenceEqual(words);
    }
}
