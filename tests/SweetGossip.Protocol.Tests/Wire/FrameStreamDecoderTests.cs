using System.Buffers.Binary;
using FsCheck.Xunit;
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

    [Fact]
    public void A_huge_declared_length_with_few_bytes_allocates_only_what_arrived()
    {
        var decoder = new FrameStreamDecoder();
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, WireLimits.MaxFrameBytes);

        decoder.Feed(header);
        Assert.Equal(0, decoder.BufferedCapacity); // a header alone allocates nothing
        decoder.Feed(new byte[10]);
        Assert.Equal(FrameStreamDecoder.MinBufferBytes, decoder.BufferedCapacity);
        decoder.Feed(new byte[1000]);
        Assert.Equal(1010, decoder.BufferedCapacity); // more than double arrived at once: exactly what arrived
        decoder.Feed(new byte[100]);
        Assert.Equal(2020, decoder.BufferedCapacity); // then doubling

        var frame = Assert.Single(decoder.Feed(new byte[WireLimits.MaxFrameBytes - 1110]));
        Assert.Equal(WireLimits.MaxFrameBytes, frame.Length);
        Assert.Equal(0, decoder.BufferedCapacity);
    }

    [Property(MaxTest = 200)]
    public void Frames_in_random_chunks_come_out_whole_and_the_buffer_never_exceeds_twice_what_arrived(int seed)
    {
        var random = new Random(seed);
        var frames = Enumerable.Range(0, random.Next(1, 6)).Select(_ =>
        {
            var frame = new byte[random.Next(1, 20_000)];
            random.NextBytes(frame);
            return frame;
        }).ToList();
        var stream = frames.SelectMany(f => LengthPrefix.Wrap(f)).ToArray();

        var decoder = new FrameStreamDecoder();
        var received = new List<byte[]>();
        for (var offset = 0; offset < stream.Length;)
        {
            var n = Math.Min(random.Next(1, 3000), stream.Length - offset);
            received.AddRange(decoder.Feed(stream.AsSpan(offset, n)));
            offset += n;
            Assert.InRange(decoder.BufferedCapacity, 0, Math.Max(FrameStreamDecoder.MinBufferBytes, 2 * decoder.Pending));
        }
        Assert.Equal(frames, received);
    }
}
