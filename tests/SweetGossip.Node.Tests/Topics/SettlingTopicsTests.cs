using Akka.Actor;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Routing;
using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Topics;

/// <summary>Frames for a topic between its TopicSettled and its Terminated: kept in arrival order, bounded, let go at the end.</summary>
public class SettlingTopicsTests : TestKit
{
    private static ToTopic Route(PayloadId payloadId, PublicKey peer) => new(payloadId, new FrameReceived(peer, new ThankYou(payloadId, Hash32.Random())));

    [Fact]
    public void Frames_of_a_settling_topic_wait_and_come_back_in_the_order_they_reached_the_guardian()
    {
        var settling = new SettlingTopics(framesPerTopic: 4);
        var (payloadId, other, peer) = (PayloadId.New(), PayloadId.New(), PrivateKey.Generate().PublicKey);
        var topic = CreateTestProbe().Ref;
        Assert.False(settling.TryHold(Route(payloadId, peer), viaMember: false, out _)); // not settling: routed as usual

        settling.Began(payloadId, topic);
        var (heldHere, inMailbox) = (Route(payloadId, peer), Route(payloadId, peer));
        Assert.True(settling.TryHold(heldHere, viaMember: true, out var refused));
        Assert.False(refused);
        Assert.False(settling.TryHold(Route(other, peer), viaMember: false, out _)); // another payload's topic is not stopping
        // Handed back by the topic after the guardian held one: it reached the guardian (and the topic) first.
        Assert.True(settling.HandBack(topic, inMailbox));

        Assert.False(settling.TryEnd(CreateTestProbe().Ref, out _));
        Assert.True(settling.TryEnd(topic, out var frames));
        Assert.Equal([new(inMailbox, false), new(heldHere, true)], frames);
        Assert.Equal(0, settling.Count);
        Assert.False(settling.TryHold(Route(payloadId, peer), viaMember: false, out _)); // stopped: the name is free again
    }

    [Fact]
    public void A_settling_topic_keeps_no_more_frames_than_its_bound()
    {
        var settling = new SettlingTopics(framesPerTopic: 2);
        var (payloadId, peer, topic) = (PayloadId.New(), PrivateKey.Generate().PublicKey, CreateTestProbe().Ref);
        settling.Began(payloadId, topic);
        Assert.True(settling.HandBack(topic, Route(payloadId, peer)));
        Assert.True(settling.TryHold(Route(payloadId, peer), viaMember: false, out var refused) && !refused);
        Assert.True(settling.TryHold(Route(payloadId, peer), viaMember: false, out refused));
        Assert.True(refused, "a third frame was kept past the bound of 2");
        Assert.False(settling.HandBack(topic, Route(payloadId, peer)));
        Assert.True(settling.TryEnd(topic, out var frames));
        Assert.Equal(2, frames.Count);
    }
}
