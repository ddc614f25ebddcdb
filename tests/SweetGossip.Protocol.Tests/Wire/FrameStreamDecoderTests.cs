using System.Buffers.Binary;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Tests.Wire;

public class FrameStreamDecoderTests
{
    [Fact]
    public void Oversized_length_prefix_is_refused_before_any_body_is_buffered()
    {
        var decoder = new FrameStreamDecoder();
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, uint.MaxValue);
        var e = Assert.Throws<FrameFormatException>(() => decoder.Feed(header));
        Assert.Equal(("LengthPrefix", "length"), (e.Frame, e.Field));
        Assert.Contains("4294967295", e.Reason);
    }

    [Fact]
    public void Zero_length_is_refused()
    {
        var e = Assert.Throws<FrameFormatException>(() => new FrameStreamDecoder().Feed(new byte[4]));
        Assert.Contains("zero", e.Reason);
    }

    [Fact]
    public void A_failed_stream_refuses_more_input()
    {
        var decoder = new FrameStreamDecoder(maxFrameBytes: 10);
        Assert.Throws<FrameFormatException>(() => decoder.Feed([0, 0, 0, 11]));
        Assert.Throws<InvalidOperationException>(() => decoder.Feed([1]));
    }

    [Fact]
    public void Truncated_frame_stays_pending_and_completes_later()
    {
        var decoder = new FrameStreamDecoder();
        var wrapped = LengthPrefix.Wrap([1, 2, 3, 4, 5]);
        Assert.Empty(decoder.Feed(wrapped.AsSpan(0, 6)));
        Assert.Equal(6, decoder.Pending);
        var frames = decoder.Feed(wrapped.AsSpan(6));
        Assert.Equal([1, 2, 3, 4, 5], Assert.Single(frames));
        Assert.Equal(0, decoder.Pending);
    }

    [Fact]
    public void Several_frames_in_one_chunk_come_out_in_order()
    {
        var decoder = new FrameStreamDecoder();
        var stream = LengthPrefix.Wrap([1]).Concat(LengthPrefix.Wrap([2, 2])).Concat(LengthPrefix.Wrap([3, 3, 3])).ToArray();
        var frames = decoder.Feed(stream);
        Assert.Equal(3, frames.Count);
        Assert.Equal([3, 3, 3], frames[2]);
    }
}
