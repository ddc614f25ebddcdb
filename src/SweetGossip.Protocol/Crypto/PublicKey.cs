using System.Diagnostics.CodeAnalysis;

namespace SweetGossip.Protocol.Crypto;

/// <summary>
/// A BIP-340 x-only public key: the 32-byte x-coordinate of a secp256k1 point, standing for the
/// point with that x and even y. Always valid: construction checks that the point exists.
/// </summary>
public sealed class PublicKey : IEquatable<PublicKey>
{
    public const int Length = 32;

    // The key's bytes, then libsecp256k1's parsed x-only key and point, in one array: a node holds a few keys for its
    // life, and one array instead of three is ≈ 64 bytes less a key (issue 13 item 3).
    private const int XOnlyAt = Length, PointAt = Length + Secp256k1.ParsedKeyLength;
    private readonly byte[] _forms;

    private PublicKey(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> xOnly, ReadOnlySpan<byte> point)
    {
        _forms = new byte[Length + 2 * Secp256k1.ParsedKeyLength];
        bytes.CopyTo(_forms);
        xOnly.CopyTo(_forms.AsSpan(XOnlyAt));
        point.CopyTo(_forms.AsSpan(PointAt));
    }

    /// <summary>libsecp256k1's parsed x-only key, kept so verification skips the parse (a square root).</summary>
    internal ReadOnlySpan<byte> XOnly => _forms.AsSpan(XOnlyAt, Secp256k1.ParsedKeyLength);

    /// <summary>lift_x of the key (even y) as libsecp256k1's parsed point, for ECDH.</summary>
    internal ReadOnlySpan<byte> EvenPoint => _forms.AsSpan(PointAt, Secp256k1.ParsedKeyLength);

    public ReadOnlySpan<byte> Span => _forms.AsSpan(0, Length);

    public static PublicKey FromBytes(ReadOnlySpan<byte> bytes) =>
        Parse(bytes, out var key) is { } error ? throw new CryptoFormatException(error) : key!;

    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out PublicKey? key) =>
        Parse(bytes, out key) is null;

    public static PublicKey FromHex(string hex) => FromBytes(Hex.Decode(hex));

    /// <summary>
    /// The x-only key of a full point, from libsecp256k1's parsed forms (a key pair's public half): its
    /// y parity is dropped, so <paramref name="point"/> is negated in place when y is odd.
    /// </summary>
    internal static PublicKey FromParsed(byte[] x32, byte[] xOnly, byte[] point, bool oddY)
    {
        if (oddY && !Secp256k1Library.Context.EcPubkeyNegate(point))
        {
            throw new InvalidOperationException("libsecp256k1 could not negate a valid point");
        }

        return new PublicKey(x32, xOnly, point);
    }

    public byte[] ToBytes() => Span.ToArray();

    public string ToHex() => Hex.Encode(Span);

    public override string ToString() => ToHex();

    public bool Equals(PublicKey? other) =>
        other is not null && Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    // HashCode.AddBytes is seeded per process, so peers cannot pick keys that collide in our tables.
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    // Shared by FromBytes and TryFromBytes: returns an error message instead of throwing so the
    // Try path stays exception-free on the hot path of checking peers' keys.
    private static string? Parse(ReadOnlySpan<byte> bytes, out PublicKey? key)
    {
        key = null;
        if (bytes.Length != Length)
        {
            return $"public key must be {Length} bytes, got {bytes.Length}";
        }

        var id = new KeyBytes(bytes);
        if (Parsed.TryGetValue(id, out key)) return null;

        if (!Secp256k1.IsFieldElement(bytes))
        {
            return "public key x-coordinate is not less than the field prime p";
        }

        // lift_x is the compressed point 02 ‖ x; the x-only form follows from it without a second root.
        Span<byte> compressed = stackalloc byte[Secp256k1.CompressedPointLength];
        compressed[0] = 0x02;
        bytes.CopyTo(compressed[1..]);
        var context = Secp256k1Library.Context;
        var point = new byte[Secp256k1.ParsedKeyLength];
        if (!context.EcPubkeyParse(point, compressed))
        {
            return "public key x-coordinate is not on the secp256k1 curve";
        }

        var xOnly = new byte[Secp256k1.ParsedKeyLength];
        if (!context.XonlyPubkeyFromPubkey(xOnly, out _, point))
        {
            return "public key x-coordinate is not on the secp256k1 curve";
        }

        key = new PublicKey(bytes, xOnly, point);
        // ConcurrentDictionary.Count takes every lock of the table: on the hot path, a counter of our own.
        if (Interlocked.Increment(ref _parsedAdded) > ParsedCapacity)
        {
            Parsed.Clear();
            Interlocked.Exchange(ref _parsedAdded, 1);
        }
        Parsed.TryAdd(id, key);
        return null;
    }

    // Keys met recently, already parsed by libsecp256k1. Every frame carries keys (certificate subject and
    // authority, reply key) and the same few keys arrive again and again (a topic from several peers, one
    // authority for many certificates); the square root of lift_x was most of an ask's decoding cost.
    // Keys are immutable, so sharing an instance is safe; bounded, it simply starts over when full.
    internal const int DefaultParsedCapacity = 16_384;

    /// <summary>How many parsed keys are kept before the memory starts over; lowered only by tests (a tiny memory must change no result).</summary>
    internal static int ParsedCapacity { get; set; } = DefaultParsedCapacity;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<KeyBytes, PublicKey> Parsed = new();
    private static int _parsedAdded; // keys added since the last clear (may overcount a race's duplicate: it only clears sooner)

    // 32 bytes as four words; System.HashCode is seeded per process, so peers cannot aim at collisions.
    private readonly struct KeyBytes(ReadOnlySpan<byte> bytes) : IEquatable<KeyBytes>
    {
        private readonly ulong _a = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        private readonly ulong _b = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        private readonly ulong _c = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        private readonly ulong _d = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);

        public bool Equals(KeyBytes other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

        public override bool Equals(object? obj) => obj is KeyBytes other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);
    }
}
