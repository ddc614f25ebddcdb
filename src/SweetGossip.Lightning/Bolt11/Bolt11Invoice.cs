using System.Collections.ObjectModel;
using System.Security.Cryptography;
using System.Text;
using NBitcoin;

namespace SweetGossip.Lightning.Bolt11;

/// <summary>
/// A decoded (or to-be-encoded) BOLT 11 invoice. Immutable: byte arrays are copied on the way in and out.
/// Equality is by value over every field.
/// </summary>
public sealed record Bolt11Invoice
{
    /// <summary>Expiry used when an invoice has no <c>x</c> field.</summary>
    public const ulong DefaultExpirySeconds = 3600;

    /// <summary><c>min_final_cltv_expiry_delta</c> used when an invoice has no <c>c</c> field.</summary>
    public const ulong DefaultMinFinalCltvExpiry = 18;

    private readonly byte[] _paymentHash = new byte[32];
    private readonly byte[]? _paymentSecret;
    private readonly byte[]? _descriptionHash;
    private readonly byte[] _payeeNodeId = [];
    private readonly byte[]? _metadata;
    private readonly IReadOnlyList<FallbackAddress> _fallbackAddresses = Array.Empty<FallbackAddress>();
    private readonly IReadOnlyList<RouteHint> _routeHints = Array.Empty<RouteHint>();
    private readonly IReadOnlyList<Bolt11UnknownField> _unknownTags = Array.Empty<Bolt11UnknownField>();
    private readonly Bolt11Features _features = Bolt11Features.Empty;

    /// <summary>Network from the currency prefix.</summary>
    public required LightningNetwork Network { get; init; }

    /// <summary>Requested amount in millisatoshi, or null for "any amount".</summary>
    public ulong? AmountMsat { get; init; }

    /// <summary>Creation time, whole seconds since the Unix epoch (35 bits).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary><c>p</c>: the 32-byte SHA-256 payment hash.</summary>
    public required byte[] PaymentHash
    {
        get => (byte[])_paymentHash.Clone();
        init => _paymentHash = Bytes.CopyExact(value, 32, nameof(PaymentHash));
    }

    /// <summary><c>s</c>: the 32-byte payment secret (mandatory for writers and, per current BOLT 11, readers).</summary>
    public byte[]? PaymentSecret
    {
        get => Bytes.CloneOrNull(_paymentSecret);
        init => _paymentSecret = value is null ? null : Bytes.CopyExact(value, 32, nameof(PaymentSecret));
    }

    /// <summary><c>d</c>: short UTF-8 description. Exactly one of this and <see cref="DescriptionHash"/> is set.</summary>
    public string? Description { get; init; }

    /// <summary><c>h</c>: SHA-256 of a description transported out of band.</summary>
    public byte[]? DescriptionHash
    {
        get => Bytes.CloneOrNull(_descriptionHash);
        init => _descriptionHash = value is null ? null : Bytes.CopyExact(value, 32, nameof(DescriptionHash));
    }

    /// <summary>
    /// The payee's 33-byte compressed public key, from the <c>n</c> field or recovered from the signature.
    /// Empty only on an invoice built for <see cref="Bolt11Codec.Encode"/>, which then uses the signing key.
    /// </summary>
    public byte[] PayeeNodeId
    {
        get => (byte[])_payeeNodeId.Clone();
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _payeeNodeId = value.Length == 0 ? [] : Bytes.CopyExact(value, 33, nameof(PayeeNodeId));
        }
    }

    /// <summary>Whether the invoice carries the payee node id in an <c>n</c> field (rather than relying on recovery).</summary>
    public bool ExplicitPayeeNodeId { get; init; }

    /// <summary><c>x</c>: seconds after <see cref="Timestamp"/> the invoice expires.</summary>
    public ulong ExpirySeconds { get; init; } = DefaultExpirySeconds;

    /// <summary><c>c</c>: <c>min_final_cltv_expiry_delta</c> for the last HTLC.</summary>
    public ulong MinFinalCltvExpiry { get; init; } = DefaultMinFinalCltvExpiry;

    /// <summary><c>f</c> fields understood by this reader, most preferred first.</summary>
    public IReadOnlyList<FallbackAddress> FallbackAddresses
    {
        get => _fallbackAddresses;
        init => _fallbackAddresses = Bytes.Freeze(value, nameof(FallbackAddresses));
    }

    /// <summary><c>r</c> fields: private routes to the payee, most preferred first.</summary>
    public IReadOnlyList<RouteHint> RouteHints
    {
        get => _routeHints;
        init => _routeHints = Bytes.Freeze(value, nameof(RouteHints));
    }

    /// <summary><c>9</c>: feature bits.</summary>
    public Bolt11Features Features
    {
        get => _features;
        init => _features = value ?? throw new ArgumentNullException(nameof(Features));
    }

    /// <summary><c>m</c>: payment metadata to echo in the onion.</summary>
    public byte[]? Metadata
    {
        get => Bytes.CloneOrNull(_metadata);
        init => _metadata = Bytes.CloneOrNull(value);
    }

    /// <summary>
    /// Tagged fields the reader skipped (unknown types, <c>f</c> with unknown version, <c>p</c>/<c>h</c>/<c>s</c>/<c>n</c>
    /// of the wrong length), preserved in order so that re-encoding keeps them.
    /// </summary>
    public IReadOnlyList<Bolt11UnknownField> UnknownTags
    {
        get => _unknownTags;
        init => _unknownTags = Bytes.Freeze(value, nameof(UnknownTags));
    }

    /// <summary>When the invoice stops being payable (<see cref="Timestamp"/> + <see cref="ExpirySeconds"/>), saturating.</summary>
    public DateTimeOffset ExpiresAt
    {
        get
        {
            var remaining = (DateTimeOffset.MaxValue - Timestamp).TotalSeconds;
            return ExpirySeconds >= remaining ? DateTimeOffset.MaxValue : Timestamp.AddSeconds(ExpirySeconds);
        }
    }

    /// <summary>Whether the invoice has expired at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => now > ExpiresAt;

    /// <summary>Whether <see cref="DescriptionHash"/> is the SHA-256 of the UTF-8 bytes of <paramref name="description"/>.</summary>
    public bool DescriptionHashMatches(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return _descriptionHash is not null
            && SHA256.HashData(Encoding.UTF8.GetBytes(description)).AsSpan().SequenceEqual(_descriptionHash);
    }

    public bool Equals(Bolt11Invoice? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null
            && Network == other.Network
            && AmountMsat == other.AmountMsat
            && Timestamp == other.Timestamp
            && _paymentHash.AsSpan().SequenceEqual(other._paymentHash)
            && Bytes.NullableEqual(_paymentSecret, other._paymentSecret)
            && string.Equals(Description, other.Description, StringComparison.Ordinal)
            && Bytes.NullableEqual(_descriptionHash, other._descriptionHash)
            && _payeeNodeId.AsSpan().SequenceEqual(other._payeeNodeId)
            && ExplicitPayeeNodeId == other.ExplicitPayeeNodeId
            && ExpirySeconds == other.ExpirySeconds
            && MinFinalCltvExpiry == other.MinFinalCltvExpiry
            && _fallbackAddresses.SequenceEqual(other._fallbackAddresses)
            && _routeHints.SequenceEqual(other._routeHints)
            && _features.Equals(other._features)
            && Bytes.NullableEqual(_metadata, other._metadata)
            && _unknownTags.SequenceEqual(other._unknownTags);
    }

    public override int GetHashCode()
        => HashCode.Combine(Network, AmountMsat, Timestamp, Convert.ToHexString(_paymentHash), Description, ExpirySeconds, _features);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Network = ").Append(Network)
            .Append(", AmountMsat = ").Append(AmountMsat?.ToString() ?? "null")
            .Append(", Timestamp = ").Append(Timestamp.ToUnixTimeSeconds())
            .Append(", PaymentHash = ").Append(Bytes.Hex(_paymentHash))
            .Append(", PaymentSecret = ").Append(Bytes.Hex(_paymentSecret))
            .Append(", Description = ").Append(Description is null ? "null" : "\"" + Description + "\"")
            .Append(", DescriptionHash = ").Append(Bytes.Hex(_descriptionHash))
            .Append(", PayeeNodeId = ").Append(Bytes.Hex(_payeeNodeId))
            .Append(", ExplicitPayeeNodeId = ").Append(ExplicitPayeeNodeId)
            .Append(", ExpirySeconds = ").Append(ExpirySeconds)
            .Append(", MinFinalCltvExpiry = ").Append(MinFinalCltvExpiry)
            .Append(", FallbackAddresses = [").AppendJoin(", ", _fallbackAddresses).Append(']')
            .Append(", RouteHints = [").AppendJoin(", ", _routeHints).Append(']')
            .Append(", Features = ").Append(_features)
            .Append(", Metadata = ").Append(Bytes.Hex(_metadata))
            .Append(", UnknownTags = [").AppendJoin(", ", _unknownTags).Append(']');
        return true;
    }
}

/// <summary>
/// An <c>f</c> field: a 5-bit version (0..16 segwit version, 17 P2PKH, 18 P2SH) and the witness program or hash.
/// </summary>
public sealed record FallbackAddress
{
    /// <summary>Version value for a pay-to-pubkey-hash address.</summary>
    public const byte P2PkhVersion = 17;

    /// <summary>Version value for a pay-to-script-hash address.</summary>
    public const byte P2ShVersion = 18;

    private readonly byte[] _program;

    /// <exception cref="ArgumentException">The version is above 18 or the program length does not fit the version.</exception>
    public FallbackAddress(byte version, byte[] program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!IsValid(version, program.Length))
        {
            throw new ArgumentException($"A version {version} fallback address cannot have a {program.Length}-byte program.", nameof(program));
        }

        Version = version;
        _program = (byte[])program.Clone();
    }

    /// <summary>The 5-bit version.</summary>
    public byte Version { get; }

    /// <summary>Witness program, or the 20-byte hash for P2PKH/P2SH.</summary>
    public byte[] Program => (byte[])_program.Clone();

    /// <summary>Length rules for known versions (BIP-141 for witness programs).</summary>
    public static bool IsValid(byte version, int programLength) => version switch
    {
        P2PkhVersion or P2ShVersion => programLength == 20,
        0 => programLength is 20 or 32,
        <= 16 => programLength is >= 2 and <= 40,
        _ => false,
    };

    /// <summary>
    /// The address as a wallet shows it on <paramref name="network"/> (NBitcoin's encoding): base58 for
    /// P2PKH and P2SH, bech32 for witness version 0 and bech32m above (BIP-350).
    /// </summary>
    public string ToAddress(LightningNetwork network)
    {
        var bitcoin = network.BitcoinNetwork();
        return Version switch
        {
            P2PkhVersion => new BitcoinPubKeyAddress(new KeyId(_program), bitcoin).ToString(),
            P2ShVersion => new BitcoinScriptAddress(new ScriptId(_program), bitcoin).ToString(),
            _ => SegwitEncoder(bitcoin).Encode(Version, _program),
        };
    }

    /// <summary>The fallback address of a Bitcoin address on <paramref name="network"/> (NBitcoin's decoding).</summary>
    /// <exception cref="FormatException">Not an address of that network, or not a kind an <c>f</c> field can carry.</exception>
    public static FallbackAddress FromAddress(string address, LightningNetwork network)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bitcoin = network.BitcoinNetwork();
        var segwit = SegwitEncoder(bitcoin);
        var prefix = Encoding.ASCII.GetString(segwit.HumanReadablePart) + "1";
        try
        {
            if (address.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var program = segwit.Decode(address, out var version);
                return new FallbackAddress(version, program);
            }

            return BitcoinAddress.Create(address, bitcoin) switch
            {
                BitcoinPubKeyAddress p2pkh => new FallbackAddress(P2PkhVersion, p2pkh.Hash.ToBytes()),
                BitcoinScriptAddress p2sh => new FallbackAddress(P2ShVersion, p2sh.Hash.ToBytes()),
                var other => throw new FormatException($"a {other.GetType().Name} cannot be a fallback address"),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException and not Bolt11FormatException)
        {
            throw new FormatException($"'{address}' is not a {network.ToString().ToLowerInvariant()} fallback address: {e.Message}", e);
        }
    }

    public bool Equals(FallbackAddress? other)
        => other is not null && Version == other.Version && _program.AsSpan().SequenceEqual(other._program);

    public override int GetHashCode() => HashCode.Combine(Version, Convert.ToHexString(_program));

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Version = ").Append(Version).Append(", Program = ").Append(Bytes.Hex(_program));
        return true;
    }

    // Every network's witness addresses share one prefix (bc, tb, bcrt); NBitcoin's encoder picks bech32 or
    // bech32m by the version.
    private static NBitcoin.DataEncoders.Bech32Encoder SegwitEncoder(Network network) =>
        network.GetBech32Encoder(Bech32Type.WITNESS_PUBKEY_ADDRESS, throws: true)!;
}

/// <summary>One hop of an <c>r</c> field: the channel from <see cref="NodeId"/> towards the payee.</summary>
public sealed record RouteHintHop
{
    private readonly byte[] _nodeId;

    public RouteHintHop(byte[] nodeId, ulong shortChannelId, uint feeBaseMsat, uint feeProportionalMillionths, ushort cltvExpiryDelta)
    {
        _nodeId = Bytes.CopyExact(nodeId, 33, nameof(nodeId));
        ShortChannelId = shortChannelId;
        FeeBaseMsat = feeBaseMsat;
        FeeProportionalMillionths = feeProportionalMillionths;
        CltvExpiryDelta = cltvExpiryDelta;
    }

    /// <summary>33-byte compressed public key of the node at the start of the channel.</summary>
    public byte[] NodeId => (byte[])_nodeId.Clone();

    /// <summary>The channel's short_channel_id (block height, tx index, output index packed as in BOLT 7).</summary>
    public ulong ShortChannelId { get; }

    public uint FeeBaseMsat { get; }

    public uint FeeProportionalMillionths { get; }

    public ushort CltvExpiryDelta { get; }

    /// <summary>Formats <see cref="ShortChannelId"/> as <c>block x tx x output</c>.</summary>
    public string ShortChannelIdText
        => $"{ShortChannelId >> 40}x{(ShortChannelId >> 16) & 0xFFFFFF}x{ShortChannelId & 0xFFFF}";

    public bool Equals(RouteHintHop? other)
        => other is not null
           && _nodeId.AsSpan().SequenceEqual(other._nodeId)
           && ShortChannelId == other.ShortChannelId
           && FeeBaseMsat == other.FeeBaseMsat
           && FeeProportionalMillionths == other.FeeProportionalMillionths
           && CltvExpiryDelta == other.CltvExpiryDelta;

    public override int GetHashCode() => HashCode.Combine(ShortChannelId, FeeBaseMsat, FeeProportionalMillionths, CltvExpiryDelta);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("NodeId = ").Append(Bytes.Hex(_nodeId))
            .Append(", ShortChannelId = ").Append(ShortChannelIdText)
            .Append(", FeeBaseMsat = ").Append(FeeBaseMsat)
            .Append(", FeeProportionalMillionths = ").Append(FeeProportionalMillionths)
            .Append(", CltvExpiryDelta = ").Append(CltvExpiryDelta);
        return true;
    }
}

/// <summary>An <c>r</c> field: an ordered route of one or more hops from a public node to the payee.</summary>
public sealed record RouteHint
{
    /// <summary>Serialized size of one hop (264 + 64 + 32 + 32 + 16 bits).</summary>
    public const int HopLength = 51;

    /// <summary>Most hops one <c>r</c> field can carry within 1023 five-bit words.</summary>
    public const int MaxHops = 12;

    public RouteHint(IEnumerable<RouteHintHop> hops)
    {
        ArgumentNullException.ThrowIfNull(hops);
        var list = hops.ToArray();
        if (list.Length is 0 or > MaxHops)
        {
            throw new ArgumentException($"A route hint has 1 to {MaxHops} hops.", nameof(hops));
        }

        if (list.Any(h => h is null))
        {
            throw new ArgumentException("Hops must not be null.", nameof(hops));
        }

        Hops = new ReadOnlyCollection<RouteHintHop>(list);
    }

    public RouteHint(params RouteHintHop[] hops)
        : this((IEnumerable<RouteHintHop>)hops)
    {
    }

    public IReadOnlyList<RouteHintHop> Hops { get; }

    public bool Equals(RouteHint? other) => other is not null && Hops.SequenceEqual(other.Hops);

    public override int GetHashCode() => Hops.Count == 0 ? 0 : HashCode.Combine(Hops.Count, Hops[0]);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Hops = [").AppendJoin(", ", Hops).Append(']');
        return true;
    }
}

/// <summary>A tagged field kept verbatim: its 5-bit type and its data as 5-bit words.</summary>
public sealed record Bolt11UnknownField
{
    private readonly byte[] _data;

    public Bolt11UnknownField(byte type, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (type > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "A tag type is a 5-bit value.");
        }

        if (data.Length > 1023)
        {
            throw new ArgumentException("A tagged field holds at most 1023 words.", nameof(data));
        }

        if (data.Any(w => w > 31))
        {
            throw new ArgumentException("Data words are 5-bit values.", nameof(data));
        }

        Type = type;
        _data = (byte[])data.Clone();
    }

    /// <summary>The 5-bit tag type.</summary>
    public byte Type { get; }

    /// <summary>The bech32 character of <see cref="Type"/>.</summary>
    public char Tag => Bech32.Charset[Type];

    /// <summary>The field data as 5-bit words.</summary>
    public byte[] Data => (byte[])_data.Clone();

    public bool Equals(Bolt11UnknownField? other)
        => other is not null && Type == other.Type && _data.AsSpan().SequenceEqual(other._data);

    public override int GetHashCode() => HashCode.Combine(Type, _data.Length);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Tag = ").Append(Tag).Append(", Data = ");
        foreach (var w in _data)
        {
            builder.Append(Bech32.Charset[w]);
        }

        return true;
    }
}

internal static class Bytes
{
    public static byte[] CopyExact(byte[] value, int length, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length != length)
        {
            throw new ArgumentException($"{name} must be {length} bytes, not {value.Length}.", name);
        }

        return (byte[])value.Clone();
    }

    public static byte[]? CloneOrNull(byte[]? value) => value is null ? null : (byte[])value.Clone();

    public static bool NullableEqual(byte[]? a, byte[]? b)
        => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    public static string Hex(byte[]? value) => value is null ? "null" : Convert.ToHexString(value).ToLowerInvariant();

    public static IReadOnlyList<T> Freeze<T>(IEnumerable<T> value, string name)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value, name);
        var copy = value.ToArray();
        if (copy.Any(x => x is null))
        {
            throw new ArgumentException($"{name} must not contain null.", name);
        }

        return new ReadOnlyCollection<T>(copy);
    }
}
