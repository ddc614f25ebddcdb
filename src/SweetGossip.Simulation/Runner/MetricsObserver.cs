using SweetGossip.Node.Observation;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Output;

namespace SweetGossip.Simulation.Runner;

/// <summary>
/// Turns what the nodes report (keys, payload ids, clock instants) into the recorder's terms (node
/// numbers, topic numbers, seconds from the start). The runner queues each origination's topic number
/// here before it asks the node; the node reports originations in that order. With a <see cref="FrameTrace"/>,
/// every frame and receipt also goes to the trace, in the order reported; with a <see cref="PeerEventRecorder"/>, every
/// score and difficulty change goes to peer-events.csv.
/// </summary>
internal sealed class MetricsObserver(MetricsRecorder metrics, DateTimeOffset start, int hops, Func<int, IEnumerable<int>?> interestedIn, FrameTrace? trace = null,
    PeerEventRecorder? events = null) : INodeObserver
{
    private readonly Dictionary<PublicKey, int> _nodes = [];
    private readonly Dictionary<PayloadId, int> _topics = [];
    private readonly Dictionary<int, Queue<int>> _pendingOrigins = [];

    public void AddNode(PublicKey key, int node) => _nodes[key] = node;

    public void WillOriginate(int node, int topic)
    {
        if (!_pendingOrigins.TryGetValue(node, out var queue)) _pendingOrigins[node] = queue = new Queue<int>();
        queue.Enqueue(topic);
    }

    /// <summary>Topic numbers by payload id, for the topics originated so far.</summary>
    public IReadOnlyDictionary<PayloadId, int> Topics => _topics;

    private double Seconds(DateTimeOffset at) => Math.Max(0, (at - start).TotalSeconds);

    public void TopicOriginated(PublicKey node, PayloadId payload, DateTimeOffset at)
    {
        var origin = _nodes[node];
        if (!_pendingOrigins.TryGetValue(origin, out var queue) || !queue.TryDequeue(out var topic)) return; // not a scheduled topic
        _topics[payload] = topic;
        metrics.TopicOriginated(topic, Seconds(at), origin, interestedIn(origin));
    }

    public void TopicAccepted(PublicKey node, PayloadId payload, PublicKey from, int hopsRemaining, DateTimeOffset at)
    {
        // The origin's peers receive hops_remaining = max hops, at one link from the origin.
        var known = _topics.TryGetValue(payload, out var topic);
        if (known) metrics.FirstReceived(topic, Seconds(at), _nodes[node], Math.Max(1, hops - hopsRemaining + 1));
        if (trace is not null && _nodes.TryGetValue(from, out var sender))
            trace.Receipt(false, Seconds(at), sender, _nodes[node], payload.ToString(), known ? topic : null);
    }

    public void DuplicateOffered(PublicKey node, PayloadId payload, PublicKey from, DateTimeOffset at)
    {
        var known = _topics.TryGetValue(payload, out var topic);
        if (known) metrics.DuplicateReceived(topic, Seconds(at), _nodes[node]);
        if (trace is not null && _nodes.TryGetValue(from, out var sender))
            trace.Receipt(true, Seconds(at), sender, _nodes[node], payload.ToString(), known ? topic : null);
    }

    public void FrameSent(PublicKey node, PublicKey to, string frame, PayloadId? payload, int bytes, DateTimeOffset at)
    {
        if (!_nodes.TryGetValue(to, out var receiver)) return;
        var kind = Enum.TryParse<FrameKind>(frame, out var known) ? known : FrameKind.Other;
        metrics.FrameSent(Seconds(at), _nodes[node], receiver, kind, bytes);
        trace?.Frame(Seconds(at), _nodes[node], receiver, kind, bytes, payload?.ToString());
    }

    public void PeerScored(PublicKey node, PublicKey peer, PeerBehaviour behaviour, double score, bool banned, DateTimeOffset at)
    {
        if (events is not null && _nodes.TryGetValue(peer, out var judged)) events.Scored(Seconds(at), _nodes[node], judged, behaviour, score);
    }

    public void DifficultyChanged(PublicKey node, PublicKey peer, int bits, bool thanked, DateTimeOffset at)
    {
        if (events is not null && _nodes.TryGetValue(peer, out var asked)) events.DifficultyChanged(Seconds(at), _nodes[node], asked, bits, thanked);
    }

    public void PowSolved(PublicKey node, long hashes, DateTimeOffset at) => metrics.PowSpent(Seconds(at), _nodes[node], hashes);

    public void Payment(PublicKey node, PaymentSide side, ulong msat, DateTimeOffset at)
    {
        var n = _nodes[node];
        var t = Seconds(at);
        switch (side)
        {
            case PaymentSide.OriginatorPaid: metrics.PaymentMade(t, n, PaymentRole.Originator, (long)msat); break;
            case PaymentSide.FavourPaid: metrics.PaymentMade(t, n, PaymentRole.Middleman, (long)msat); break;
            case PaymentSide.MiddlemanEarned: metrics.PaymentReceived(t, n, PaymentRole.Middleman, (long)msat); break;
            case PaymentSide.ReplierEarned: metrics.PaymentReceived(t, n, PaymentRole.Replier, (long)msat); break;
        }
    }

    public void ReplyDelivered(PublicKey node, PayloadId payload, PublicKey replier, bool ackConfirmed, DateTimeOffset at)
    {
        if (_topics.TryGetValue(payload, out var topic) && _nodes.TryGetValue(replier, out var r))
            metrics.ReplyDelivered(topic, Seconds(at), _nodes[node], r);
    }
}
