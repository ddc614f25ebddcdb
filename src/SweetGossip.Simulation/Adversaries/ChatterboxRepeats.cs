using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Simulation.Adversaries;

/// <summary>A topic a chatterbox asks its peers for again: as it received it, from whom, and how many more times.</summary>
internal sealed record RepeatedTopic(Broadcast Received, PublicKey Source, int Left);

/// <summary>
/// A chatterbox's own bookkeeping, apart from its node's: the topics it repeats and the asks it sent for them,
/// so that the conditions answering those asks come back to it (its node never asked). Bounded: a topic
/// leaves after its last repeat, an ask when a favour granted for it would have expired; when full,
/// nothing new is started.
/// </summary>
internal sealed class ChatterboxRepeats(int maxTopics = 10_000, int maxAsks = 100_000)
{
    private readonly Dictionary<PayloadId, RepeatedTopic> _topics = [];
    private readonly Dictionary<AskId, Broadcast> _asks = [];
    private readonly Queue<(AskId Ask, DateTimeOffset Until)> _asksByExpiry = new();

    public int Topics => _topics.Count;

    public int Asks => _asks.Count;

    /// <summary>Starts repeating a topic <paramref name="times"/> times; false if it is repeated already (or the book is full).</summary>
    public bool Start(Broadcast received, PublicKey source, int times)
    {
        var payload = received.SignedRequest.Payload.PayloadId;
        if (times <= 0 || _topics.Count >= maxTopics || _topics.ContainsKey(payload)) return false;
        _topics[payload] = new RepeatedTopic(received, source, times);
        return true;
    }

    /// <summary>The topic's next repeat, or null once they are all done (the topic is then forgotten).</summary>
    public RepeatedTopic? Next(PayloadId payload)
    {
        if (!_topics.TryGetValue(payload, out var topic)) return null;
        if (topic.Left <= 0)
        {
            _topics.Remove(payload);
            return null;
        }
        return _topics[payload] = topic with { Left = topic.Left - 1 };
    }

    /// <summary>Remembers an ask sent for a repeat until <paramref name="until"/>; false (not sent) when the book is full.</summary>
    public bool Asked(AskId ask, Broadcast received, DateTimeOffset now, DateTimeOffset until)
    {
        Expire(now);
        // The queue holds answered asks too until they expire: it is what is bounded.
        if (_asksByExpiry.Count >= maxAsks) return false;
        _asks[ask] = received;
        _asksByExpiry.Enqueue((ask, until));
        return true;
    }

    /// <summary>The topic an ask of this chatterbox was for; each ask answered once.</summary>
    public bool TryTake(AskId ask, DateTimeOffset now, out Broadcast received)
    {
        Expire(now);
        return _asks.Remove(ask, out received!);
    }

    private void Expire(DateTimeOffset now)
    {
        // Asks are remembered in the order sent, all for the same validity: the oldest expire first.
        while (_asksByExpiry.TryPeek(out var oldest) && oldest.Until < now)
            _asks.Remove(_asksByExpiry.Dequeue().Ask);
    }
}
