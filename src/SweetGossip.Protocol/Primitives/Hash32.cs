using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SweetGossip.Protocol.Primitives;

/// <summary>
/// A 32-byte value: a SHA-256 digest, a payment hash or a payment preimage.
/// Stored as four words so it is a cheap, allocation-free dictionary key.
/// </summary>
public readonly struct Hash32 : IEquatable<Hash32>, IComparable<Hash32>
{
    public const int Length = 32;

    private readonly ulong _a, _b, _c, _d;

    private Hash32(ulong a, ulong b, ulong c, ulong d) => (_a, _b, _c, _d) = (a, b, c, d);

    public static Hash32 FromSpan(ReadOnlySpan<byte> value)
    {
        if (value.Length != Length)
            throw new ArgumentException($"expected {Length} bytes, got {value.Length}", nameof(value));
        return new Hash32(
            BinaryPrimitives.ReadUInt64BigEndian(value),
            BinaryPrimitives.ReadUInt64BigEndian(value[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(value[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(value[24..]));
    }

    public static Hash32 FromHex(string hex) => FromSpan(Convert.FromHexString(hex));

    public static Hash32 Of(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Length];
        SHA256.HashData(data, digest);
        return FromSpan(digest);
    }

    /// <summary>A fresh random value, e.g. a payment preimage.</summary>
    public static Hash32 Random()
    {
        Span<byte> value = stackalloc byte[Length];
        FreshRandomness.Fill(value);
        return FromSpan(value);
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>SHA-256 of this value: the payment hash when this is a preimage.</summary>
    public Hash32 Sha256()
    {
        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        return Of(bytes);
    }

    /// <summary>Constant-time equality, for comparing secrets such as preimages.</summary>
    public bool FixedTimeEquals(Hash32 other) =>
        ((_a ^ other._a) | (_b ^ other._b) | (_c ^ other._c) | (_d ^ other._d)) == 0;

    public string ToHex() => Convert.ToHexStringLower(ToArray());

    public bool Equals(Hash32 other) => FixedTimeEquals(other);

    public override bool Equals(object? obj) => obj is Hash32 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    /// <summary>
    /// Byte order (the words are big-endian). For collections enumerated in a fixed order: the hash code above is
    /// seeded per process, so a set ordered by it walks its hashes in another order in every run. Not constant-time:
    /// order public values (payment hashes), not secrets.
    /// </summary>
    public int CompareTo(Hash32 other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0) return c;
        c = _b.CompareTo(other._b);
        if (c != 0) return c;
        c = _c.CompareTo(other._c);
        return c != 0 ? c : _d.CompareTo(other._d);
    }

    public static bool operator ==(Hash32 left, Hash32 right) => left.Equals(right);

    public static bool operator !=(Hash32 left, Hash32 right) => !left.Equals(right);

    public override string ToString() => ToHex();
}
