using Akka.TestKit.Xunit2;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Routing;
using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Topics;

/// <summary>
/// Replies for a topic between its TopicSettled and its Terminated: only those that would revive it, kept in arrival order,
/// bounded, let go at the end; nothing else is held.
/// </summary>
public class SettlingTopicsTests : TestKit
{
    private static ToTopic Reply(PayloadId payloadId, PublicKey peer) =>
        new(payloadId, new FrameReceived(peer, new Reply(payloadId, Hash32.Random(), 1_000, "lnbcrt-x", Bytes.Copy(new byte[8]), Bytes.Copy(new byte[8]))));

    private static SettledTopic Record(PayloadId payloadId, params PublicKey[] broadcastTo) =>
        new(payloadId, DateTimeOffset.UtcNow.AddMinutes(40), PrivateKey.Generate().PublicKey, broadcastTo);

    [Fact]
    public void Replies_that_would_revive_a_settling_topic_wait_and_come_back_in_the_order_they_reached_the_guardian()
    {
        var settling = new SettlingTopics(repliesPerTopic: 4);
        var (payloadId, other, downstream) = (PayloadId.New(), PayloadId.New(), PrivateKey.Generate().PublicKey);
        var topic = CreateTestProbe().Ref;
        Assert.False(settling.TryHold(Reply(payloadId, downstream), viaMember: false, handedBack: false, out _)); // not settling

        settling.Began(Record(payloadId, downstream), topic);
        Assert.True(settling.IsSettling(payloadId));
        Assert.False(settling.IsSettling(other));
        var (heldHere, inMailbox) = (Reply(payloadId, downstream), Reply(payloadId, downstream));
        Assert.True(settling.TryHold(heldHere, viaMember: true, handedBack: false, out _));
        // Handed back by the topic after the guardian held one: it reached the guardian (and the topic) first.
        Assert.True(settling.TryHold(inMailbox, viaMember: false, handedBack: true, out _));

        Assert.False(settling.TryEnd(CreateTestProbe().Ref, out _));
        Assert.True(settling.TryEnd(topic, out var frames));
        Assert.Equal([new(inMailbox, false), new(heldHere, true)], frames);
        Assert.Equal(0, settling.Count);
        Assert.False(settling.IsSettling(payloadId)); // stopped: the name is free again
    }

    [Fact]
    public void Only_replies_from_peers_the_topic_broadcast_to_are_held_and_no_more_than_the_topic_would_take()
    {
        var settling = new SettlingTopics(repliesPerTopic: 2);
        var (payloadId, downstream, stranger, topic) = (PayloadId.New(), PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey, CreateTestProbe().Ref);
        settling.Began(Record(payloadId, downstream), topic);

        // Anything a peer can make up in any number is handled at once, as for a settled topic: never held.
        Assert.False(settling.TryHold(Reply(payloadId, stranger), viaMember: false, handedBack: false, out var full));
        Assert.False(full);
        var thanks = new ToTopic(payloadId, new FrameReceived(downstream, new ThankYou(payloadId, Hash32.Random())));
        Assert.False(settling.TryHold(thanks, viaMember: false, handedBack: true, out full));
        Assert.False(full);

        Assert.True(settling.TryHold(Reply(payloadId, downstream), viaMember: false, handedBack: true, out _));
        Assert.True(settling.TryHold(Reply(payloadId, downstream), viaMember: false, handedBack: false, out _));
        Assert.False(settling.TryHold(Reply(payloadId, downstream), viaMember: false, handedBack: false, out full));
        Assert.True(full, "a third reply was kept past the bound of 2");
        Assert.True(settling.TryEnd(topic, out var frames));
        Assert.Equal(2, frames.Count);
    }
}
