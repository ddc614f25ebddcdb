using SweetGossip.Node.Routing;
using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Topics;

/// <summary>
/// What a relayed topic leaves with its node once its relay phase is over (every ask answered, declined or timed
/// out, every favour done, no reply yet): enough to take a reply that comes later, from a peer it was broadcast to,
/// and to judge a ThankYou. Some 100 bytes instead of a live actor holding the request until the reply invoice expires.
/// </summary>
/// <param name="Until">The request's expiry plus the reply invoice's: a reply after it has no payment left to finish.</param>
/// <param name="Source">The peer whose broadcast this node relayed: a reply's relay pays it.</param>
/// <param name="BroadcastTo">The only peers a reply is taken from.</param>
public sealed record SettledTopic(PayloadId PayloadId, DateTimeOffset Until, PublicKey Source, PublicKey[] BroadcastTo);

/// <summary>From a topic to its node: its relay phase is over; it stops and leaves this record.</summary>
public sealed record TopicSettled(SettledTopic Topic);

/// <summary>
/// A node's settled topics: bounded (the oldest go first past <c>capacity</c>) and forgotten at their
/// <see cref="SettledTopic.Until"/>. A reply for one brings its topic back to life (<see cref="TopicActor.ForSettled"/>).
/// </summary>
public sealed class SettledTopics(int capacity)
{
    private readonly ExpiringEntries<PayloadId, SettledTopic> _topics = new(capacity);

    public int Count => _topics.Count;

    public void Add(SettledTopic topic, DateTimeOffset now) => _topics.TryAdd(topic.PayloadId, topic, topic.Until, now);

    /// <summary>
    /// A Reply or ThankYou for a payload: true when it starts the settled topic again (the record taken out). Only a Reply
    /// from a peer the topic broadcast to does (D25, D22); a Reply from any other peer, or a ThankYou (a settled topic took
    /// no reply, so no thanks are owed), is its sender's invalid frame (<paramref name="refusal"/>) and leaves the record, so
    /// frames a peer makes up cannot turn records back into live actors.
    /// </summary>
    public bool TryRevive(PayloadId payloadId, PublicKey peer, Frame frame, DateTimeOffset now, out SettledTopic topic, out string? refusal)
    {
        _topics.Expire(now);
        refusal = null;
        if (!_topics.TryGetValue(payloadId, out topic!)) return false;
        if (frame is Reply && topic.BroadcastTo.Contains(peer)) return TryTake(payloadId, now, out topic);
        refusal = frame is Reply
            ? $"sent a reply for settled payload {payloadId}, which this node did not broadcast to it"
            : $"sent {frame.Name} for settled payload {payloadId}, which took no reply";
        return false;
    }

    /// <summary>The record of a settled topic, taken out (its actor is started again from it).</summary>
    public bool TryTake(PayloadId payloadId, DateTimeOffset now, out SettledTopic topic) => _topics.TryTake(payloadId, now, out topic!);
}

/// <summary>
/// From the guardian to a topic that settled: every frame the guardian routed to it before its <see cref="TopicSettled"/>
/// arrived is in the topic's mailbox ahead of this (one sender, one order), so the topic has handed them all back; stop.
/// </summary>
public sealed record StopSettledTopic
{
    public static readonly StopSettledTopic Instance = new();
}

/// <summary>
/// From a settled topic, before it stops, to its guardian: a frame that reached it after it settled. The guardian routes it
/// again once the topic has stopped, so a Reply then starts the topic again from its record instead of being lost.
/// </summary>
public sealed record FrameHandedBack(PayloadId PayloadId, FrameReceived Frame);
