using Google.Protobuf;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;
using P = SweetGossip.Protocol.Wire.Proto;

namespace SweetGossip.Protocol.Tests.Wire;

/// <summary>The announce-dissemination frames (docs/protocol.md D24): bounded and validated like the others.</summary>
public class AnnouncementFrameTests
{
    private static P.Envelope Valid() =>
        P.Envelope.Parser.ParseFrom(FrameCodec.Encode(new TopicAnnouncement(AskId.New(), PayloadId.New(), Hash32.Random(), 5)));

    private static FrameFormatException Reject(P.Envelope envelope) =>
        Assert.Throws<FrameFormatException>(() => FrameCodec.Decode(envelope.ToByteArray()));

    [Fact]
    public void An_announcement_with_hops_above_the_wire_limit_is_refused_by_name()
    {
        var envelope = Valid();
        envelope.TopicAnnouncement.HopsRemaining = WireLimits.MaxHops + 1;
        Assert.Equal($"TopicAnnouncement.hops_remaining: must be at most {WireLimits.MaxHops} (got {WireLimits.MaxHops + 1})", Reject(envelope).Message);
    }

    [Theory]
    [InlineData("ask_id", 15)]
    [InlineData("payload_id", 17)]
    [InlineData("payload_hash", 31)]
    [InlineData("payload_hash", 0)]
    public void An_announcement_with_a_field_of_the_wrong_length_is_refused_by_name(string field, int length)
    {
        var envelope = Valid();
        var bytes = ByteString.CopyFrom(new byte[length]);
        switch (field)
        {
            case "ask_id": envelope.TopicAnnouncement.AskId = bytes; break;
            case "payload_id": envelope.TopicAnnouncement.PayloadId = bytes; break;
            default: envelope.TopicAnnouncement.PayloadHash = bytes; break;
        }
        var e = Reject(envelope);
        Assert.Equal(("TopicAnnouncement", field), (e.Frame, e.Field));
    }

    [Fact]
    public void An_already_have_without_a_payload_id_is_refused_by_name()
    {
        var e = Reject(new P.Envelope { Version = WireLimits.ProtocolVersion, AlreadyHave = new P.AlreadyHave() });
        Assert.Equal(("AlreadyHave", "payload_id"), (e.Frame, e.Field));
    }

    [Fact]
    public void An_announcement_is_small_whatever_the_request_it_announces()
    {
        // What makes announcing to every neighbour cheaper than asking: no request in it, ids and a hash only.
        Assert.True(FrameCodec.Encode(new TopicAnnouncement(AskId.New(), PayloadId.New(), Hash32.Random(), WireLimits.MaxHops)).Length <= 80);
    }
}
