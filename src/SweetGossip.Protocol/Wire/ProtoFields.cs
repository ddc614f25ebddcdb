using Google.Protobuf;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Wire;

/// <summary>Field checks shared by the decoders: each failure names the frame and field.</summary>
internal static class ProtoFields
{
    public static T Required<T>(T? value, string frame, string field) where T : class =>
        value ?? throw new FrameFormatException(frame, field, "is missing");

    public static byte[] Exact(ByteString value, int length, string frame, string field)
    {
        if (value.Length == 0)
            throw new FrameFormatException(frame, field, "is missing");
        if (value.Length != length)
            throw new FrameFormatException(frame, field, $"must be {length} bytes (got {value.Length})");
        return value.ToByteArray();
    }

    public static Bytes Bounded(ByteString value, int maxLength, string frame, string field)
    {
        if (value.Length == 0)
            throw new FrameFormatException(frame, field, "is missing");
        if (value.Length > maxLength)
            throw new FrameFormatException(frame, field, $"must be at most {maxLength} bytes (got {value.Length})");
        return Bytes.Own(value.ToByteArray());
    }

    public static Guid Id(ByteString value, string frame, string field) =>
        Id16.FromBytes(Exact(value, Id16.Length, frame, field));

    public static Hash32 Hash(ByteString value, string frame, string field) =>
        Hash32.FromSpan(Exact(value, Hash32.Length, frame, field));

    public static Bytes Signature(ByteString value, string frame, string field) =>
        Bytes.Own(Exact(value, WireLimits.SignatureLength, frame, field));

    public static PublicKey Key(ByteString value, string frame, string field)
    {
        var bytes = Exact(value, PublicKey.Length, frame, field);
        return PublicKey.TryFromBytes(bytes, out var key)
            ? key!
            : throw new FrameFormatException(frame, field, "is not a valid secp256k1 x-only public key");
    }

    /// <summary>
    /// A 33-byte SEC1 compressed secp256k1 point, as Lightning writes node ids. Each check has its own
    /// reason, so a log says whether the peer sent the wrong form or a point that does not exist.
    /// </summary>
    public static Bytes CompressedPoint(ByteString value, string frame, string field)
    {
        var bytes = Exact(value, Secp256k1.CompressedPointLength, frame, field);
        if (bytes[0] != 0x02 && bytes[0] != 0x03)
            throw new FrameFormatException(frame, field, $"must start with 02 or 03, a compressed secp256k1 point (got {bytes[0]:x2})");
        if (!Secp256k1.IsFieldElement(bytes.AsSpan(1)))
            throw new FrameFormatException(frame, field, "x-coordinate is not less than the field prime p");
        if (!Secp256k1.IsCompressedPoint(bytes))
            throw new FrameFormatException(frame, field, "x-coordinate is not on the secp256k1 curve");
        return Bytes.Own(bytes);
    }

    public static string Text(string value, int maxLength, string frame, string field, bool allowEmpty = false)
    {
        WireLimits.CheckText(frame, field, value, maxLength, allowEmpty);
        return value;
    }

    public static DateTimeOffset Time(long unixSeconds, string frame, string field)
    {
        // Bounded to years 1970..9999 so conversions cannot overflow.
        if (unixSeconds < 0 || unixSeconds > 253_402_300_799)
            throw new FrameFormatException(frame, field, $"is not a valid unix time in seconds ({unixSeconds})");
        return UnixTime.FromSeconds(unixSeconds);
    }

    // A fresh array that nothing else holds: wrapped, not copied a second time (ids and hashes are in every frame).
    public static ByteString Of(Guid id) => UnsafeByteOperations.UnsafeWrap(Id16.ToBytes(id));

    public static ByteString Of(Hash32 hash) => UnsafeByteOperations.UnsafeWrap(hash.ToArray());

    // Bytes never change once made, and the message only lives until it is written: wrapped, not copied (a request's
    // payload is most of an ask's and a broadcast's bytes, encoded once per peer it goes to).
    public static ByteString Of(Bytes bytes) => UnsafeByteOperations.UnsafeWrap(bytes.Memory);

    public static ByteString Of(PublicKey key) => ByteString.CopyFrom(key.Span);

    /// <summary>Parses a nested message from bytes, turning protobuf's errors into a named one.</summary>
    public static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> bytes, string frame, string field) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FrameFormatException(frame, field, $"is not a valid protobuf message ({e.Message})", e);
        }
    }
}
