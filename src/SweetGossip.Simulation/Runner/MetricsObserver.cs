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
    // Links each peer's first copy of a topic travelled (0 for the origin, NoHops before its first copy): a receipt's
    // hops are its sender's plus one. hops_remaining cannot say this: origin cover (D23) passes a broadcast on at the
    // maximum hops unchanged, so max − hops_remaining counts one hop fewer per keep. One byte per (topic, peer).
    private readonly Dictionary<int, byte[]> _hops = [];
    private const byte NoHops = byte.MaxValue;

    public void AddNode(PublicKey key, int node)
    {
        // Two nodes with one key would be counted as one: the other's traffic, proofs and pay all under one number.
        if (!_nodes.TryAdd(key, node) && _nodes[key] != node)
            throw new InvalidOperationException($"nodes {_nodes[key]} and {node} have one identity key");
    }

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
        HopsOf(topic)[origin] = 0;
        metrics.TopicOriginated(topic, Seconds(at), origin, interestedIn(origin));
    }

    public void TopicAccepted(PublicKey node, PayloadId payload, PublicKey from, int hopsRemaining, DateTimeOffset at)
    {
        var known = _topics.TryGetValue(payload, out var topic);
        if (known) metrics.FirstReceived(topic, Seconds(at), _nodes[node], HopsTravelled(topic, _nodes[node], from, hopsRemaining));
        if (trace is not null && _nodes.TryGetValue(from, out var sender))
            trace.Receipt(false, Seconds(at), sender, _nodes[node], payload.ToString(), known ? topic : null);
    }

    private byte[] HopsOf(int topic)
    {
        if (!_hops.TryGetValue(topic, out var hopsByNode))
        {
            _hops[topic] = hopsByNode = new byte[metrics.PeerCount];
            Array.Fill(hopsByNode, NoHops);
        }
        return hopsByNode;
    }

    /// <summary>The sender's hops plus one; from hops_remaining only if the sender's first copy was not seen (not a node of the run).</summary>
    private int HopsTravelled(int topic, int node, PublicKey from, int hopsRemaining)
    {
        var hopsByNode = HopsOf(topic);
        // The origin's peers receive hops_remaining = max hops, at one link from the origin.
        var travelled = _nodes.TryGetValue(from, out var sender) && hopsByNode[sender] != NoHops
            ? hopsByNode[sender] + 1
            : Math.Max(1, hops - hopsRemaining + 1);
        if (hopsByNode[node] == NoHops) hopsByNode[node] = (byte)Math.Min(travelled, NoHops - 1);
        return travelled;
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
            case PaymentSide.FavourPaid: metrics.PaymentMade(t, n, PaymentRole.Favour, (long)msat); break;
            case PaymentSide.FavourEarned: metrics.PaymentReceived(t, n, PaymentRole.Favour, (long)msat); break;
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
