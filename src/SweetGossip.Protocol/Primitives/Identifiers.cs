namespace SweetGossip.Protocol.Primitives;

// 16-byte identifiers. On the wire they are the Guid's big-endian (RFC 9562) bytes. Peers choose them, so they hash
// with the process's random seed (Guid's own hash is an unseeded XOR an attacker can collide at will).

/// <summary>Network-wide identity of a topic: how every peer recognises a payload it has already seen.</summary>
public readonly record struct PayloadId(Guid Value)
{
    public static PayloadId New() => new(Guid.NewGuid());
    public override string ToString() => Value.ToString("N");
    public override int GetHashCode() => Id16.Hash(Value);
}

/// <summary>Matches a FavourConditions answer to the AskForFavour it answers.</summary>
public readonly record struct AskId(Guid Value)
{
    public static AskId New() => new(Guid.NewGuid());
    public override string ToString() => Value.ToString("N");
    public override int GetHashCode() => Id16.Hash(Value);
}

/// <summary>Single-use ticket a middleman hands out with its conditions; the proof commits to it.</summary>
public readonly record struct FavourId(Guid Value)
{
    public static FavourId New() => new(Guid.NewGuid());
    public override string ToString() => Value.ToString("N");
    public override int GetHashCode() => Id16.Hash(Value);
}

/// <summary>Serial number of a certificate, unique per certification authority.</summary>
public readonly record struct CertificateSerial(Guid Value)
{
    public static CertificateSerial New() => new(Guid.NewGuid());
    public override string ToString() => Value.ToString("N");
    public override int GetHashCode() => Id16.Hash(Value);
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

    /// <summary>A seeded hash of all 16 bytes (<see cref="HashCode"/> is seeded per process).</summary>
    public static int Hash(Guid value)
    {
        Span<int> words = stackalloc int[4];
        value.TryWriteBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words));
        return HashCode.Combine(words[0], words[1], words[2], words[3]);
    }

    public static Guid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"expected {Length} bytes, got {bytes.Length}", nameof(bytes));
        return new Guid(bytes, bigEndian: true);
    }
}
