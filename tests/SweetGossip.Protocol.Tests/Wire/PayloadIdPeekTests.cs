using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Tests.Support;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Tests.Wire;

/// <summary>The payload id read from an ask's or broadcast's bytes without decoding: the decoder's, or no answer.</summary>
public class PayloadIdPeekTests
{
    private readonly TestWorld _world = new();

    [Fact]
    public void The_payload_id_of_an_ask_and_of_a_broadcast_is_read_without_a_decode()
    {
        var request = _world.Request();
        Assert.True(PayloadIdPeek.TryRead(FrameCodec.Encode(new AskForFavour(AskId.New(), request)), out var fromAsk, out var isAsk));
        Assert.Equal((request.Payload.PayloadId, true), (fromAsk, isAsk));
        var broadcast = new Broadcast(FavourId.New(), request, new PowProof(7), 3, 1_000);
        Assert.True(PayloadIdPeek.TryRead(FrameCodec.Encode(broadcast), out var fromBroadcast, out isAsk));
        Assert.Equal((request.Payload.PayloadId, false), (fromBroadcast, isAsk));
    }

    [Fact]
    public void Other_frames_and_anything_unusual_give_no_answer()
    {
        Assert.False(PayloadIdPeek.TryRead(FrameCodec.Encode(new ThankYou(PayloadId.New(), Hash32.Random())), out _, out _));
        var ask = FrameCodec.Encode(new AskForFavour(AskId.New(), _world.Request()));
        Assert.False(PayloadIdPeek.TryRead(ask.AsSpan(0, ask.Length - 1), out _, out _)); // truncated
        // The ask field twice: protobuf merges the two; the shortcut does not guess which id the decoder ends with.
        var twice = ask.Concat(ask.Skip(2)).ToArray();
        Assert.False(PayloadIdPeek.TryRead(twice, out _, out _));
        Assert.False(PayloadIdPeek.TryRead([], out _, out _));
    }

    [Property(MaxTest = 500)]
    public Property Random_bytes_never_throw_and_an_answer_is_always_the_decoders() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).Resize(300).ToArbitrary(), AnswersAsTheDecoder);

    [Property(MaxTest = 1_000)]
    public Property An_ask_with_a_byte_changed_gives_the_decoders_payload_id_or_no_answer()
    {
        var ask = FrameCodec.Encode(new AskForFavour(AskId.New(), _world.Request()));
        return Prop.ForAll(Gen.Choose(0, ask.Length - 1).ToArbitrary(), Gen.Choose(0, 255).ToArbitrary(), (at, value) =>
        {
            var changed = (byte[])ask.Clone();
            changed[at] = (byte)value;
            return AnswersAsTheDecoder(changed);
        });
    }

    /// <summary>No answer, or the decoder's payload id (or a frame the decoder refuses: the shortcut only ever drops).</summary>
    private static bool AnswersAsTheDecoder(byte[] bytes)
    {
        if (!PayloadIdPeek.TryRead(bytes, out var id, out _)) return true;
        try
        {
            return FrameCodec.Decode(bytes) switch
            {
                AskForFavour a => a.SignedRequest.Payload.PayloadId == id,
                Broadcast b => b.SignedRequest.Payload.PayloadId == id,
                _ => false,
            };
        }
        catch (FrameFormatException)
        {
            return true; // the full decode refuses it; the shortcut only ever drops, never accepts
        }
    }
}
