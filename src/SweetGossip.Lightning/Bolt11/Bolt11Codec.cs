using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Lightning.Bolt11;

/// <summary>
/// BOLT 11 invoice reader and writer.
/// </summary>
/// <remarks>
/// Reader rules enforced (BOLT 11, "Requirements" sections):
/// bech32 without length limit, checksum, no mixed case; known currency prefix; amount digits with an optional
/// m/u/n/p multiplier, pico amounts ending in 0; unknown fields, <c>f</c> fields with versions 19..31, and
/// <c>p</c>/<c>h</c>/<c>s</c>/<c>n</c> fields whose length is not 52/52/52/53 are skipped (kept in
/// <see cref="Bolt11Invoice.UnknownTags"/>); the first valid <c>p</c>, <c>s</c>, <c>n</c>, <c>x</c>, <c>c</c>,
/// <c>9</c> and <c>m</c> is used; exactly one valid <c>d</c> or <c>h</c> is required; a valid <c>s</c> is
/// required; unknown even feature bits are refused; with an <c>n</c> field the signature is verified against
/// it and must be low-S, otherwise the key is recovered from the signature (high-S accepted); a zero amount and
/// <c>basic_mpp</c> without <c>payment_secret</c> are refused.
/// Not checked here: that <c>h</c> matches the out-of-band description (see
/// <see cref="Bolt11Invoice.DescriptionHashMatches"/>), expiry (see <see cref="Bolt11Invoice.IsExpired"/>), and
/// the reader SHOULD about non-minimal <c>x</c>/<c>c</c>/<c>9</c> encodings.
/// Current BOLT 11 master also says readers fail on <c>p</c>/<c>h</c>/<c>s</c>/<c>n</c> of the wrong length while
/// keeping an example that must decode with such fields; this reader follows the example and skips them.
/// </remarks>
public static class Bolt11Codec
{
    // Tag types (5-bit values; the bech32 character is in the comment).
    internal const byte TagPaymentHash = 1; // p
    internal const byte TagRouteHint = 3; // r
    internal const byte TagFeatures = 5; // 9
    internal const byte TagExpiry = 6; // x
    internal const byte TagFallback = 9; // f
    internal const byte TagDescription = 13; // d
    internal const byte TagPaymentSecret = 16; // s
    internal const byte TagPayeeNodeId = 19; // n
    internal const byte TagDescriptionHash = 23; // h
    internal const byte TagMinFinalCltvExpiry = 24; // c
    internal const byte TagMetadata = 27; // m

    /// <summary>Field order used by <see cref="Encode(Bolt11Invoice, byte[])"/>; unknown fields follow.</summary>
    public const string CanonicalTagOrder = "spdhmnxcfr9";

    private const int TimestampWords = 7;
    private const int SignatureWords = 104;
    private const int MaxFieldWords = 1023;
    private const ulong MaxTimestamp = (1UL << 35) - 1;
    private const string UriScheme = "lightning:";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Compressed public key (node id) of a 32-byte private key.</summary>
    public static byte[] GetPublicKey(byte[] nodePrivateKey32) => RecoverableEcdsa.GetPublicKey(nodePrivateKey32);

    /// <summary>Decodes and validates an invoice. A leading <c>lightning:</c> URI scheme is accepted.</summary>
    /// <exception cref="Bolt11FormatException">The invoice is malformed or must be refused; see <see cref="Bolt11FormatException.Reason"/>.</exception>
    public static Bolt11Invoice Decode(string invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (invoice.StartsWith(UriScheme, StringComparison.OrdinalIgnoreCase))
        {
            invoice = invoice[UriScheme.Length..];
        }

        string hrp;
        byte[] data;
        try
        {
            (hrp, data) = Bech32.Decode(invoice);
        }
        catch (Bech32FormatException e)
        {
            throw new Bolt11FormatException(e.Reason, e.Message, e);
        }

        var (network, amountMsat) = ParseHumanReadablePart(hrp);

        if (data.Length < TimestampWords + SignatureWords)
        {
            throw new Bolt11FormatException(Bolt11Reasons.TooShort, $"{data.Length} data words, at least {TimestampWords + SignatureWords} needed");
        }

        var signedLength = data.Length - SignatureWords;
        var timestamp = ReadUnsigned(data.AsSpan(0, TimestampWords));

        var fields = new ParsedFields();
        var position = TimestampWords;
        while (position < signedLength)
        {
            if (signedLength - position < 3)
            {
                throw new Bolt11FormatException(Bolt11Reasons.TruncatedField, $"field header at word {position}");
            }

            var type = data[position];
            var length = (data[position + 1] << 5) | data[position + 2];
            position += 3;
            if (length > signedLength - position)
            {
                throw new Bolt11FormatException(Bolt11Reasons.TruncatedField, $"'{Bech32.Charset[type]}' field of {length} words at word {position - 3}");
            }

            ReadField(fields, type, data.AsSpan(position, length));
            position += length;
        }

        // Signature: 520 bits = r (32 bytes) || s (32 bytes) || recovery id (1 byte).
        var signature = Bech32.ConvertBits(data.AsSpan(signedLength), 5, 8, pad: false);
        var recoveryId = signature[64];
        if (recoveryId > 3)
        {
            throw new Bolt11FormatException(Bolt11Reasons.InvalidRecoveryId, recoveryId.ToString());
        }

        var hash = SigningHash(hrp, data.AsSpan(0, signedLength));
        var rs = signature.AsSpan(0, 64);
        byte[] payee;
        if (fields.PayeeNodeId is { } explicitPayee)
        {
            // With an n field the signature is verified (not recovered) and must be in low-S form.
            if (!RecoverableEcdsa.IsLowS(rs))
            {
                throw new Bolt11FormatException(Bolt11Reasons.HighSSignature);
            }

            if (!RecoverableEcdsa.Verify(hash, rs, explicitPayee))
            {
                throw new Bolt11FormatException(Bolt11Reasons.SignatureMismatch, Bytes.Hex(explicitPayee));
            }

            payee = explicitPayee;
        }
        else
        {
            payee = RecoverableEcdsa.Recover(hash, rs, recoveryId)
                    ?? throw new Bolt11FormatException(Bolt11Reasons.SignatureNotRecoverable);
        }

        if (fields.PaymentHash is null)
        {
            throw new Bolt11FormatException(Bolt11Reasons.MissingPaymentHash);
        }

        if (fields.PaymentSecret is null)
        {
            throw new Bolt11FormatException(Bolt11Reasons.MissingPaymentSecret);
        }

        var descriptionCount = fields.DescriptionCount + fields.DescriptionHashCount;
        if (descriptionCount == 0)
        {
            throw new Bolt11FormatException(Bolt11Reasons.MissingDescription);
        }

        if (descriptionCount > 1)
        {
            throw new Bolt11FormatException(Bolt11Reasons.MultipleDescriptions, $"{fields.DescriptionCount} d, {fields.DescriptionHashCount} h");
        }

        var features = fields.Features ?? Bolt11Features.Empty;
        if (CheckFeatures(features) is { } featureProblem)
        {
            throw new Bolt11FormatException(featureProblem.Reason, featureProblem.Detail);
        }

        return new Bolt11Invoice
        {
            Network = network,
            AmountMsat = amountMsat,
            Timestamp = DateTimeOffset.FromUnixTimeSeconds((long)timestamp),
            PaymentHash = fields.PaymentHash,
            PaymentSecret = fields.PaymentSecret,
            Description = fields.Description,
            DescriptionHash = fields.DescriptionHash,
            PayeeNodeId = payee,
            ExplicitPayeeNodeId = fields.PayeeNodeId is not null,
            ExpirySeconds = fields.Expiry ?? Bolt11Invoice.DefaultExpirySeconds,
            MinFinalCltvExpiry = fields.MinFinalCltvExpiry ?? Bolt11Invoice.DefaultMinFinalCltvExpiry,
            FallbackAddresses = fields.FallbackAddresses,
            RouteHints = fields.RouteHints,
            Features = features,
            Metadata = fields.Metadata,
            UnknownTags = fields.UnknownTags,
        };
    }

    /// <summary>Non-throwing <see cref="Decode"/>; <paramref name="reason"/> is set on failure.</summary>
    public static bool TryDecode(string invoice, out Bolt11Invoice? result, out string? reason)
    {
        try
        {
            result = Decode(invoice);
            reason = null;
            return true;
        }
        catch (Bolt11FormatException e)
        {
            result = null;
            reason = e.Reason;
            return false;
        }
    }

    /// <summary>
    /// Encodes and signs an invoice with the node's private key (RFC 6979, low-S), writing fields in
    /// <see cref="CanonicalTagOrder"/> followed by <see cref="Bolt11Invoice.UnknownTags"/>. Defaults
    /// (expiry 3600, min_final_cltv_expiry 18, no features) are not written. The output is lower case.
    /// </summary>
    /// <exception cref="ArgumentException">The invoice breaks a writer requirement (see message), or the key is invalid or not the payee's.</exception>
    public static string Encode(Bolt11Invoice invoice, byte[] nodePrivateKey32) => Encode(invoice, nodePrivateKey32, CanonicalTagOrder);

    /// <summary>
    /// As <see cref="Encode(Bolt11Invoice, byte[])"/> but with fields grouped in the order of the tag characters in
    /// <paramref name="tagOrder"/> (types it omits follow in canonical order). Used to reproduce foreign invoices.
    /// </summary>
    internal static string Encode(Bolt11Invoice invoice, byte[] nodePrivateKey32, string tagOrder)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(nodePrivateKey32);
        ArgumentNullException.ThrowIfNull(tagOrder);

        var publicKey = RecoverableEcdsa.GetPublicKey(nodePrivateKey32);
        var payee = invoice.PayeeNodeId;
        if (payee.Length != 0 && !payee.AsSpan().SequenceEqual(publicKey))
        {
            throw new ArgumentException("PayeeNodeId is not the public key of the signing key.", nameof(nodePrivateKey32));
        }

        var (hrp, words) = EncodeFields(invoice, publicKey, tagOrder);
        var hash = SigningHash(hrp, CollectionsMarshal.AsSpan(words));
        var (signature, recoveryId) = RecoverableEcdsa.SignRecoverable(hash, nodePrivateKey32);
        var signatureBytes = new byte[65];
        signature.CopyTo(signatureBytes, 0);
        signatureBytes[64] = (byte)recoveryId;
        words.AddRange(Bech32.ConvertBits(signatureBytes, 8, 5, pad: true));

        return Bech32.Encode(hrp, CollectionsMarshal.AsSpan(words));
    }

    /// <summary>
    /// The same string <see cref="Encode(Bolt11Invoice, byte[])"/> writes, but with an all-zero signature and no
    /// hashing or signing: for a network that finds its own invoices by their exact string (the embedded one's
    /// fast mode). No other reader accepts it. <see cref="Bolt11Invoice.PayeeNodeId"/> must be set.
    /// </summary>
    internal static string EncodeUnsigned(Bolt11Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (invoice.PayeeNodeId.Length != 33)
            throw new ArgumentException("an unsigned invoice needs its PayeeNodeId", nameof(invoice));
        var (hrp, words) = EncodeFields(invoice, invoice.PayeeNodeId, CanonicalTagOrder);
        words.AddRange(new byte[104]); // 65 zero bytes as 5-bit words
        return Bech32.Encode(hrp, CollectionsMarshal.AsSpan(words));
    }

    /// <summary>Human-readable part and data words (timestamp and fields), everything but the signature.</summary>
    private static (string Hrp, List<byte> Words) EncodeFields(Bolt11Invoice invoice, byte[] publicKey, string tagOrder)
    {
        var fieldsByType = BuildFields(invoice, publicKey);

        var hrp = invoice.Network.InvoicePrefix()
                  + (invoice.AmountMsat is { } amount ? Bolt11Amount.Encode(amount) : string.Empty);

        var words = new List<byte>(512);
        AppendUnsigned(words, (ulong)invoice.Timestamp.ToUnixTimeSeconds(), TimestampWords);

        var order = new List<byte>();
        foreach (var c in tagOrder + CanonicalTagOrder)
        {
            var index = Bech32.Charset.IndexOf(c);
            if (index < 0)
            {
                throw new ArgumentException($"'{c}' is not a bech32 character.", nameof(tagOrder));
            }

            if (!order.Contains((byte)index))
            {
                order.Add((byte)index);
            }
        }

        foreach (var type in order)
        {
            if (fieldsByType.TryGetValue(type, out var list))
            {
                foreach (var fieldData in list)
                {
                    AppendField(words, type, fieldData);
                }
            }
        }

        foreach (var unknown in invoice.UnknownTags)
        {
            AppendField(words, unknown.Type, unknown.Data);
        }

        return (hrp, words);
    }

    private static Dictionary<byte, List<byte[]>> BuildFields(Bolt11Invoice invoice, byte[] publicKey)
    {
        var timestamp = invoice.Timestamp.ToUnixTimeSeconds();
        if (timestamp < 0 || (ulong)timestamp > MaxTimestamp || DateTimeOffset.FromUnixTimeSeconds(timestamp) != invoice.Timestamp)
        {
            throw new ArgumentException("Timestamp must be whole seconds between 1970 and 2^35-1 seconds after it.", nameof(invoice));
        }

        if (invoice.AmountMsat == 0)
        {
            throw new ArgumentException("AmountMsat must be positive, or null for any amount.", nameof(invoice));
        }

        var paymentSecret = invoice.PaymentSecret
                            ?? throw new ArgumentException("A writer must include a payment secret (s).", nameof(invoice));

        if ((invoice.Description is null) == (invoice.DescriptionHash is null))
        {
            throw new ArgumentException("Exactly one of Description and DescriptionHash must be set.", nameof(invoice));
        }

        if (CheckFeatures(invoice.Features) is { } featureProblem)
        {
            throw new ArgumentException($"Features {invoice.Features}: {featureProblem.Reason} ({featureProblem.Detail}).", nameof(invoice));
        }

        if (!invoice.Features.Supports(Bolt11Features.PaymentSecret))
        {
            throw new ArgumentException("The payment_secret feature (bit 14 or 15) must be set, as the s field always is.", nameof(invoice));
        }

        if (invoice.Features.SetBits.Count > 0 && invoice.Features.SetBits[^1] > Bolt11Features.MaxBit)
        {
            throw new ArgumentException($"Feature bits above {Bolt11Features.MaxBit} do not fit in a 9 field.", nameof(invoice));
        }

        foreach (var unknown in invoice.UnknownTags)
        {
            if (!IsSkippedByReaders(unknown.Type, unknown.Data))
            {
                throw new ArgumentException($"Unknown tag '{unknown.Tag}' with {unknown.Data.Length} words would be read as a known field.", nameof(invoice));
            }
        }

        var fields = new Dictionary<byte, List<byte[]>>();

        void Add(byte type, byte[] data)
        {
            if (data.Length > MaxFieldWords)
            {
                throw new ArgumentException($"The '{Bech32.Charset[type]}' field needs {data.Length} words; at most {MaxFieldWords} fit.", nameof(invoice));
            }

            if (!fields.TryGetValue(type, out var list))
            {
                fields[type] = list = [];
            }

            list.Add(data);
        }

        Add(TagPaymentSecret, ToWords(paymentSecret));
        Add(TagPaymentHash, ToWords(invoice.PaymentHash));
        if (invoice.Description is { } description)
        {
            Add(TagDescription, ToWords(StrictUtf8.GetBytes(description)));
        }

        if (invoice.DescriptionHash is { } descriptionHash)
        {
            Add(TagDescriptionHash, ToWords(descriptionHash));
        }

        if (invoice.Metadata is { } metadata)
        {
            Add(TagMetadata, ToWords(metadata));
        }

        if (invoice.ExplicitPayeeNodeId)
        {
            Add(TagPayeeNodeId, ToWords(publicKey));
        }

        if (invoice.ExpirySeconds != Bolt11Invoice.DefaultExpirySeconds)
        {
            Add(TagExpiry, MinimalWords(invoice.ExpirySeconds));
        }

        if (invoice.MinFinalCltvExpiry != Bolt11Invoice.DefaultMinFinalCltvExpiry)
        {
            Add(TagMinFinalCltvExpiry, MinimalWords(invoice.MinFinalCltvExpiry));
        }

        foreach (var fallback in invoice.FallbackAddresses)
        {
            Add(TagFallback, [fallback.Version, .. ToWords(fallback.Program)]);
        }

        foreach (var route in invoice.RouteHints)
        {
            var bytes = new byte[route.Hops.Count * RouteHint.HopLength];
            for (var i = 0; i < route.Hops.Count; i++)
            {
                WriteHop(bytes.AsSpan(i * RouteHint.HopLength, RouteHint.HopLength), route.Hops[i]);
            }

            Add(TagRouteHint, ToWords(bytes));
        }

        if (!invoice.Features.IsEmpty)
        {
            Add(TagFeatures, invoice.Features.ToWords());
        }

        return fields;
    }

    /// <summary>
    /// Whether a reader skips a field with this type and data (so it can only round-trip as an unknown tag).
    /// </summary>
    internal static bool IsSkippedByReaders(byte type, ReadOnlySpan<byte> data) => type switch
    {
        TagPaymentHash or TagPaymentSecret or TagDescriptionHash => data.Length != 52,
        TagPayeeNodeId => data.Length != 53,
        TagFallback => data.Length == 0 || data[0] > FallbackAddress.P2ShVersion,
        TagDescription or TagMetadata or TagExpiry or TagMinFinalCltvExpiry or TagRouteHint or TagFeatures => false,
        _ => true,
    };

    private static (string Reason, string Detail)? CheckFeatures(Bolt11Features features)
    {
        var unknown = features.UnknownCompulsoryBits();
        if (unknown.Count > 0)
        {
            return (Bolt11Reasons.UnknownRequiredFeature, string.Join(",", unknown));
        }

        // BOLT 9: basic_mpp depends on payment_secret.
        if (features.Supports(Bolt11Features.BasicMpp) && !features.Supports(Bolt11Features.PaymentSecret))
        {
            return (Bolt11Reasons.MissingFeatureDependency, "basic_mpp requires payment_secret");
        }

        return null;
    }

    private static (LightningNetwork Network, ulong? AmountMsat) ParseHumanReadablePart(string hrp)
    {
        if (!hrp.StartsWith("ln", StringComparison.Ordinal))
        {
            throw new Bolt11FormatException(Bolt11Reasons.UnknownPrefix, $"\"{hrp}\" does not start with ln");
        }

        var end = 2;
        while (end < hrp.Length && hrp[end] is < '0' or > '9')
        {
            end++;
        }

        var prefix = hrp[2..end];
        if (!LightningNetworkExtensions.TryParseCurrencyPrefix(prefix, out var network))
        {
            throw new Bolt11FormatException(Bolt11Reasons.UnknownPrefix, $"\"ln{prefix}\"");
        }

        var amount = hrp[end..];
        return (network, amount.Length == 0 ? null : Bolt11Amount.Decode(amount));
    }

    private static void ReadField(ParsedFields fields, byte type, ReadOnlySpan<byte> data)
    {
        if (IsSkippedByReaders(type, data))
        {
            fields.UnknownTags.Add(new Bolt11UnknownField(type, data.ToArray()));
            return;
        }

        switch (type)
        {
            case TagPaymentHash:
                fields.PaymentHash ??= FromWords(data);
                break;
            case TagPaymentSecret:
                fields.PaymentSecret ??= FromWords(data);
                break;
            case TagDescriptionHash:
                fields.DescriptionHashCount++;
                fields.DescriptionHash ??= FromWords(data);
                break;
            case TagDescription:
                fields.DescriptionCount++;
                if (fields.Description is null)
                {
                    try
                    {
                        fields.Description = StrictUtf8.GetString(FromWords(data));
                    }
                    catch (DecoderFallbackException e)
                    {
                        throw new Bolt11FormatException(Bolt11Reasons.InvalidDescription, null, e);
                    }
                }

                break;
            case TagPayeeNodeId:
                if (fields.PayeeNodeId is null)
                {
                    var key = FromWords(data);
                    if (!RecoverableEcdsa.IsValidPublicKey(key))
                    {
                        throw new Bolt11FormatException(Bolt11Reasons.InvalidPayeeNodeId, Bytes.Hex(key));
                    }

                    fields.PayeeNodeId = key;
                }

                break;
            case TagExpiry:
                fields.Expiry ??= ReadUnsignedOrThrow(data, Bolt11Reasons.InvalidExpiry);
                break;
            case TagMinFinalCltvExpiry:
                fields.MinFinalCltvExpiry ??= ReadUnsignedOrThrow(data, Bolt11Reasons.InvalidMinFinalCltvExpiry);
                break;
            case TagFeatures:
                fields.Features ??= Bolt11Features.FromWords(data);
                break;
            case TagMetadata:
                fields.Metadata ??= FromWords(data);
                break;
            case TagFallback:
                {
                    var version = data[0];
                    var program = FromWords(data[1..]);
                    if (!FallbackAddress.IsValid(version, program.Length) || ExpectedWords(program.Length) != data.Length - 1)
                    {
                        throw new Bolt11FormatException(Bolt11Reasons.InvalidFallbackAddress, $"version {version}, {data.Length - 1} words");
                    }

                    fields.FallbackAddresses.Add(new FallbackAddress(version, program));
                    break;
                }

            case TagRouteHint:
                {
                    var bytes = FromWords(data);
                    var hops = bytes.Length / RouteHint.HopLength;
                    if (hops == 0 || bytes.Length % RouteHint.HopLength != 0 || ExpectedWords(bytes.Length) != data.Length)
                    {
                        throw new Bolt11FormatException(Bolt11Reasons.InvalidRouteHint, $"{data.Length} words");
                    }

                    var list = new RouteHintHop[hops];
                    for (var i = 0; i < hops; i++)
                    {
                        list[i] = ReadHop(bytes.AsSpan(i * RouteHint.HopLength, RouteHint.HopLength));
                    }

                    fields.RouteHints.Add(new RouteHint(list));
                    break;
                }
        }
    }

    private static RouteHintHop ReadHop(ReadOnlySpan<byte> hop)
        => new(
            hop[..33].ToArray(),
            BinaryPrimitives.ReadUInt64BigEndian(hop[33..]),
            BinaryPrimitives.ReadUInt32BigEndian(hop[41..]),
            BinaryPrimitives.ReadUInt32BigEndian(hop[45..]),
            BinaryPrimitives.ReadUInt16BigEndian(hop[49..]));

    private static void WriteHop(Span<byte> destination, RouteHintHop hop)
    {
        hop.NodeId.CopyTo(destination);
        BinaryPrimitives.WriteUInt64BigEndian(destination[33..], hop.ShortChannelId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[41..], hop.FeeBaseMsat);
        BinaryPrimitives.WriteUInt32BigEndian(destination[45..], hop.FeeProportionalMillionths);
        BinaryPrimitives.WriteUInt16BigEndian(destination[49..], hop.CltvExpiryDelta);
    }

    /// <summary>SHA-256 of the hrp's bytes followed by the data words (excluding the signature) packed into bytes, zero padded.</summary>
    private static byte[] SigningHash(string hrp, ReadOnlySpan<byte> words)
    {
        var hrpBytes = Encoding.UTF8.GetBytes(hrp);
        var packed = Bech32.ConvertBits(words, 5, 8, pad: true);
        var message = new byte[hrpBytes.Length + packed.Length];
        hrpBytes.CopyTo(message, 0);
        packed.CopyTo(message, hrpBytes.Length);
        return SHA256.HashData(message);
    }

    /// <summary>Bytes carried by 5-bit words: whole bytes only, trailing padding bits dropped.</summary>
    private static byte[] FromWords(ReadOnlySpan<byte> words)
    {
        var result = new byte[words.Length * 5 / 8];
        var acc = 0;
        var bits = 0;
        var index = 0;
        foreach (var w in words)
        {
            acc = ((acc << 5) | w) & 0xFFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                result[index++] = (byte)(acc >> bits);
            }
        }

        return result;
    }

    private static byte[] ToWords(byte[] bytes) => Bech32.ConvertBits(bytes, 8, 5, pad: true);

    private static int ExpectedWords(int byteCount) => ((byteCount * 8) + 4) / 5;

    private static ulong ReadUnsigned(ReadOnlySpan<byte> words)
    {
        ulong value = 0;
        foreach (var w in words)
        {
            value = (value << 5) | w;
        }

        return value;
    }

    private static ulong ReadUnsignedOrThrow(ReadOnlySpan<byte> words, string reason)
    {
        ulong value = 0;
        foreach (var w in words)
        {
            if (value > ulong.MaxValue >> 5)
            {
                throw new Bolt11FormatException(reason, $"{words.Length} words overflow 64 bits");
            }

            value = (value << 5) | w;
        }

        return value;
    }

    private static byte[] MinimalWords(ulong value)
    {
        var words = new List<byte>();
        while (value != 0)
        {
            words.Add((byte)(value & 31));
            value >>= 5;
        }

        words.Reverse();
        return [.. words];
    }

    private static void AppendUnsigned(List<byte> words, ulong value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            words.Add((byte)((value >> (5 * i)) & 31));
        }
    }

    private static void AppendField(List<byte> words, byte type, byte[] data)
    {
        words.Add(type);
        words.Add((byte)(data.Length >> 5));
        words.Add((byte)(data.Length & 31));
        words.AddRange(data);
    }

    private sealed class ParsedFields
    {
        public byte[]? PaymentHash { get; set; }

        public byte[]? PaymentSecret { get; set; }

        public string? Description { get; set; }

        public int DescriptionCount { get; set; }

        public byte[]? DescriptionHash { get; set; }

        public int DescriptionHashCount { get; set; }

        public byte[]? PayeeNodeId { get; set; }

        public ulong? Expiry { get; set; }

        public ulong? MinFinalCltvExpiry { get; set; }

        public Bolt11Features? Features { get; set; }

        public byte[]? Metadata { get; set; }

        public List<FallbackAddress> FallbackAddresses { get; } = [];

        public List<RouteHint> RouteHints { get; } = [];

        public List<Bolt11UnknownField> UnknownTags { get; } = [];
    }
}
