using System.Buffers.Binary;

namespace SweetGossip.Protocol.Wire;

/// <summary>
/// Framing on a byte stream: a 4-byte big-endian length, then that many bytes.
/// A declared length above the limit is refused before any of it is buffered.
/// </summary>
public static class LengthPrefix
{
    public const int HeaderBytes = 4;

    public static byte[] Wrap(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > WireLimits.MaxFrameBytes)
            throw new FrameFormatException("LengthPrefix", "length", $"{frame.Length} bytes is above the {WireLimits.MaxFrameBytes}-byte frame limit");
        var bytes = new byte[HeaderBytes + frame.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)frame.Length);
        frame.CopyTo(bytes.AsSpan(HeaderBytes));
        return bytes;
    }

    /// <summary>Reads the declared length and checks it against <paramref name="maxFrameBytes"/>.</summary>
    public static int ReadLength(ReadOnlySpan<byte> header, int maxFrameBytes = WireLimits.MaxFrameBytes)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length == 0)
            throw new FrameFormatException("LengthPrefix", "length", "is zero (empty frames are not allowed)");
        if (length > (uint)maxFrameBytes)
            throw new FrameFormatException("LengthPrefix", "length", $"declares {length} bytes, above the {maxFrameBytes}-byte frame limit");
        return (int)length;
    }
}
