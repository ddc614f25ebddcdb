using System.Buffers.Binary;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Lightning.Port;

/// <summary>
/// A Lightning node id: the node's 33-byte SEC1 compressed secp256k1 public key (02/03 prefix ‖ x), as
/// in BOLT 7 and in BOLT 11's payee field. A small value type (prefix + four words) so it is a cheap
/// dictionary key. Always a valid point unless it is <c>default</c>.
/// </summary>
public readonly struct LightningNodeId : IEquatable<LightningNodeId>
{
    public const int Length = 33;

    private readonly byte _prefix;
    private readonly ulong _a, _b, _c, _d;

    private LightningNodeId(ReadOnlySpan<byte> compressed)
    {
        _prefix = compressed[0];
        _a = BinaryPrimitives.ReadUInt64BigEndian(compressed[1..]);
        _b = BinaryPrimitives.ReadUInt64BigEndian(compressed[9..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(compressed[17..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(compressed[25..]);
    }

    /// <summary>False only for <c>default(LightningNodeId)</c>, which is not a key.</summary>
    public bool IsValid => _prefix is 0x02 or 0x03;

    /// <summary>Parses a compressed public key; checks the length, the prefix and that the point is on the curve.</summary>
    /// <exception cref="FormatException">The bytes are not a compressed secp256k1 point.</exception>
    public static LightningNodeId FromBytes(ReadOnlySpan<byte> compressed)
    {
        if (!TryFromBytes(compressed, out var id, out var error))
        {
            throw new FormatException($"invalid node id: {error}");
        }

        return id;
    }

    public static bool TryFromBytes(ReadOnlySpan<byte> compressed, out LightningNodeId id) =>
        TryFromBytes(compressed, out id, out _);

    /// <exception cref="FormatException">Not 66 hex characters of a compressed secp256k1 point.</exception>
    public static LightningNodeId FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        byte[] bytes;
        try
        {
            bytes = Hex.Decode(hex);
        }
        catch (CryptoFormatException e)
        {
            throw new FormatException($"invalid node id: {e.Message}", e);
        }

        return FromBytes(bytes);
    }

    /// <summary>The node id of a private key: d·G, compressed. Costs one scalar multiplication.</summary>
    public static LightningNodeId FromPrivateKey(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var secret = key.ToBytes();
        try
        {
            return new LightningNodeId(RecoverableEcdsa.GetPublicKey(secret));
        }
        finally
        {
            Array.Clear(secret);
        }
    }

    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"need {Length} bytes", nameof(destination));
        }

        destination[0] = _prefix;
        BinaryPrimitives.WriteUInt64BigEndian(destination[1..], _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[9..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[17..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[25..], _d);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public override string ToString() => IsValid ? ToHex() : "(none)";

    public bool Equals(LightningNodeId other) =>
        _prefix == other._prefix && _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is LightningNodeId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_prefix, _a, _b, _c, _d);

    public static bool operator ==(LightningNodeId left, LightningNodeId right) => left.Equals(right);

    public static bool operator !=(LightningNodeId left, LightningNodeId right) => !left.Equals(right);

    private static bool TryFromBytes(ReadOnlySpan<byte> compressed, out LightningNodeId id, out string? error)
    {
        id = default;
        if (compressed.Length != Length)
        {
            error = $"must be {Length} bytes, got {compressed.Length}";
            return false;
        }

        if (compressed[0] is not (0x02 or 0x03))
        {
            error = $"prefix must be 02 or 03, got {compressed[0]:x2}";
            return false;
        }

        // libsecp256k1's parse checks x < p and that x³+7 is a square (the point exists).
        if (!RecoverableEcdsa.IsValidPublicKey(compressed.ToArray()))
        {
            error = "not a point on secp256k1";
            return false;
        }

        id = new LightningNodeId(compressed);
        error = null;
        return true;
    }
}
