namespace SweetGossip.Protocol.Primitives;

// 16-byte identifiers. On the wire they are the Guid's big-endian (RFC 9562) bytes.

/// <summary>Network-wide identity of a topic: how every peer recognises a payload it has already seen.</summary>
public readonly record struct PayloadId(Guid Value)
{
    public static PayloadId New() => new(Guid.NewGuid());
    public override string ToString() => Value.ToString("N");
}

/// <summary>Matches a FavourConditions answer to the AskForFavour it answers.</summary>
public readonly record struct AskId(Guid Value)
{
    public static AskId New() => new(Guid.NewGuid());
    public override string ToString() => Value.ToString("N");
}

/// <summary>Single-use ticket a middleman hands out with its conditions; the proof commits to it.</summary>
public readonly record struct FavourId(Guid Value)
{
    public static FavourId New() => new(Guid.NewGuid());
    public override string ToString() => Value.ToString("N");
}

/// <summary>Serial number of a certificate, unique per certification authority.</summary>
public readonly record struct CertificateSerial(Guid Value)
{
    public static CertificateSerial New() => new(Guid.NewGuid());
    public override string ToString() => Value.ToString("N");
}

public static class Id16
{
    public const int Length = 16;

    public static byte[] ToBytes(Guid value)
    {
        var bytes = new byte[Length];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes;
    }

    public static Guid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"expected {Length} bytes, got {bytes.Length}", nameof(bytes));
        return new Guid(bytes, bigEndian: true);
    }
}
