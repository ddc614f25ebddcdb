using System.Security.Cryptography;

namespace SweetGossip.Protocol.Primitives;

/// <summary>
/// An immutable run of bytes with value equality, so frames that carry blobs
/// (signatures, sealed replies, signed payload bytes) compare by content.
/// </summary>
public sealed class Bytes : IEquatable<Bytes>
{
    public static readonly Bytes Empty = new([]);

    private readonly byte[] _value;

    private Bytes(byte[] value) => _value = value;

    public static Bytes Copy(ReadOnlySpan<byte> value) => new(value.ToArray());

    /// <summary>Takes ownership of <paramref name="value"/>: the caller must not change it afterwards.</summary>
    internal static Bytes Own(byte[] value) => new(value);

    public int Length => _value.Length;

    public ReadOnlySpan<byte> Span => _value;

    public ReadOnlyMemory<byte> Memory => _value;

    public byte[] ToArray() => (byte[])_value.Clone();

    public Hash32 Sha256() => Hash32.Of(_value);

    public string ToHex() => Convert.ToHexStringLower(_value);

    public bool Equals(Bytes? other) => other is not null && _value.AsSpan().SequenceEqual(other._value);

    public override bool Equals(object? obj) => Equals(obj as Bytes);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_value);
        return hash.ToHashCode();
    }

    public override string ToString() => _value.Length <= 32 ? ToHex() : $"{Convert.ToHexStringLower(_value.AsSpan(0, 16))}…({_value.Length} bytes)";

    /// <summary>Constant-time comparison, for secrets.</summary>
    public bool FixedTimeEquals(ReadOnlySpan<byte> other) => CryptographicOperations.FixedTimeEquals(_value, other);
}
