using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Metrics;

/// <summary>
/// Collects what happens in a run; <see cref="Aggregate"/> turns it into <see cref="SimulationResults"/>.
/// </summary>
/// <remarks>
/// <para>
/// Nodes are 0 … <c>peerCount</c> − 1 (Sybil identities included, if the runner adds any); topics are
/// numbered by the runner (e.g. <see cref="ScheduledTopic.Topic"/>); times are simulation seconds ≥ 0;
/// hops are the number of links a copy travelled from the origin (a peer of the origin receives at hop 1).
/// </para>
/// <para>
/// Thread-safe (one lock), so actors may call it directly. Results do not depend on the order calls
/// arrive in: counters are integer sums, and per-topic receipts are sorted before anything is computed.
/// Should the same (topic, node) be reported as first-received twice, the earliest counts as the first
/// and the later one as a duplicate. Memory: about 16 bytes per (topic, receiving peer) and 4 per duplicate.
/// </para>
/// </remarks>
public sealed class MetricsRecorder
{
    private readonly Lock _gate = new();
    internal readonly PeerKind[] Kind;
    internal readonly bool[] Honest;
    internal readonly long[] FramesSent, BytesSent, FramesReceived, BytesReceived, PowHashes;
    internal readonly int[] RepliesSent, RepliesReceived;
    internal readonly long[][] Earned, Paid; // [role][node]
    internal readonly long[] FramesByKind = new long[Enum.GetValues<FrameKind>().Length];
    internal readonly long[] BytesByKind = new long[Enum.GetValues<FrameKind>().Length];
    internal readonly Dictionary<int, TopicLog> Topics = [];
    internal readonly TrafficBuckets Traffic;

    public MetricsRecorder(int peerCount, MetricsSettings? settings = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(peerCount);
        PeerCount = peerCount;
        Settings = settings ?? new MetricsSettings();
        if (!(Settings.TrafficBucketSeconds > 0) || !(Settings.CoverageStepSeconds > 0))
            throw new ArgumentOutOfRangeException(nameof(settings), "Bucket and step widths must be positive.");
        Kind = new PeerKind[peerCount];
        Honest = new bool[peerCount];
        Array.Fill(Honest, true);
        FramesSent = new long[peerCount];
        BytesSent = new long[peerCount];
        FramesReceived = new long[peerCount];
        BytesReceived = new long[peerCount];
        PowHashes = new long[peerCount];
        RepliesSent = new int[peerCount];
        RepliesReceived = new int[peerCount];
        var roles = Enum.GetValues<PaymentRole>().Length;
        Earned = Enumerable.Range(0, roles).Select(_ => new long[peerCount]).ToArray();
        Paid = Enumerable.Range(0, roles).Select(_ => new long[peerCount]).ToArray();
        Traffic = new TrafficBuckets(Settings.TrafficBucketSeconds);
    }

    public int PeerCount { get; }
    public MetricsSettings Settings { get; }

    /// <summary>What a peer is and whether it is honest. Peers not described are honest riders.</summary>
    public void DescribePeer(int node, PeerKind kind, bool honest)
    {
        CheckNode(node);
        lock (_gate)
        {
            Kind[node] = kind;
            Honest[node] = honest;
        }
    }

    /// <summary>
    /// A topic was broadcast for the first time, by <paramref name="origin"/>. Coverage is measured over
    /// <paramref name="interestedPeers"/> (e.g. the on-shift drivers whose area covers the pickup), or over
    /// every other peer when null. The origin never counts as interested.
    /// </summary>
    /// <exception cref="InvalidOperationException">The topic was already originated.</exception>
    public void TopicOriginated(int topic, double time, int origin, IEnumerable<int>? interestedPeers = null)
    {
        CheckTopic(topic);
        CheckTime(time);
        CheckNode(origin);
        int[]? interested = null;
        if (interestedPeers is not null)
        {
            interested = interestedPeers.Where(n => n != origin).Distinct().Order().ToArray();
            foreach (var n in interested) CheckNode(n);
        }
        lock (_gate)
        {
            var log = LogOf(topic);
            if (log.Originated) throw new InvalidOperationException($"Topic {topic} was already originated (by node {log.Origin} at {log.OriginTime} s).");
            log.Origin = origin;
            log.OriginTime = time;
            log.Interested = interested;
            Traffic.Add(time, TrafficBuckets.Topics, 1);
        }
    }

    /// <summary><paramref name="node"/> received <paramref name="topic"/> for the first time, <paramref name="hops"/> links from the origin.</summary>
    public void FirstReceived(int topic, double time, int node, int hops)
    {
        CheckTopic(topic);
        CheckTime(time);
        CheckNode(node);
        ArgumentOutOfRangeException.ThrowIfNegative(hops);
        lock (_gate)
        {
            LogOf(topic).Receipts.Add(new TopicLog.Receipt(node, hops, time));
            Traffic.Add(time, TrafficBuckets.FirstReceipts, 1);
        }
    }

    /// <summary><paramref name="node"/> received <paramref name="topic"/> again (dedup dropped it).</summary>
    public void DuplicateReceived(int topic, double time, int node)
    {
        CheckTopic(topic);
        CheckTime(time);
        CheckNode(node);
        lock (_gate)
        {
            LogOf(topic).DuplicateNodes.Add(node);
            Traffic.Add(time, TrafficBuckets.Duplicates, 1);
        }
    }

    /// <summary>A frame of <paramref name="bytes"/> bytes (as encoded on the link) went from one peer to another.</summary>
    public void FrameSent(double time, int from, int to, FrameKind kind, int bytes)
    {
        CheckTime(time);
        CheckNode(from);
        CheckNode(to);
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        lock (_gate)
        {
            FramesSent[from]++;
            BytesSent[from] += bytes;
            FramesReceived[to]++;
            BytesReceived[to] += bytes;
            FramesByKind[(int)kind]++;
            BytesByKind[(int)kind] += bytes;
            Traffic.Add(time, TrafficBuckets.Frames, 1);
            Traffic.Add(time, TrafficBuckets.Bytes, bytes);
        }
    }

    /// <summary><paramref name="node"/> computed <paramref name="hashes"/> PoW hashes (e.g. the winning nonce + 1).</summary>
    public void PowSpent(double time, int node, long hashes)
    {
        CheckTime(time);
        CheckNode(node);
        ArgumentOutOfRangeException.ThrowIfNegative(hashes);
        lock (_gate)
        {
            PowHashes[node] += hashes;
            Traffic.Add(time, TrafficBuckets.PowHashes, hashes);
        }
    }

    /// <summary>A reply from <paramref name="replier"/> reached the originator of <paramref name="topic"/>.</summary>
    public void ReplyDelivered(int topic, double time, int originator, int replier)
    {
        CheckTopic(topic);
        CheckTime(time);
        CheckNode(originator);
        CheckNode(replier);
        lock (_gate)
        {
            var log = LogOf(topic);
            log.Replies++;
            log.FirstReplyTime = Math.Min(log.FirstReplyTime, time);
            RepliesSent[replier]++;
            RepliesReceived[originator]++;
            Traffic.Add(time, TrafficBuckets.Replies, 1);
        }
    }

    /// <summary><paramref name="node"/> paid <paramref name="amountMsat"/> in <paramref name="role"/>.</summary>
    public void PaymentMade(double time, int node, PaymentRole role, long amountMsat) => Payment(time, node, role, amountMsat, Paid);

    /// <summary><paramref name="node"/> was paid <paramref name="amountMsat"/> in <paramref name="role"/>.</summary>
    public void PaymentReceived(double time, int node, PaymentRole role, long amountMsat) => Payment(time, node, role, amountMsat, Earned);

    /// <summary>Aggregates everything recorded so far. Recording may go on afterwards.</summary>
    /// <exception cref="InvalidOperationException">A topic had events but was never originated.</exception>
    public SimulationResults Aggregate()
    {
        lock (_gate) return MetricsAggregator.Aggregate(this);
    }

    private void Payment(double time, int node, PaymentRole role, long amountMsat, long[][] table)
    {
        CheckTime(time);
        CheckNode(node);
        ArgumentOutOfRangeException.ThrowIfNegative(amountMsat);
        if (!Enum.IsDefined(role)) throw new ArgumentOutOfRangeException(nameof(role), role, null);
        lock (_gate) table[(int)role][node] += amountMsat;
    }

    private TopicLog LogOf(int topic)
    {
        if (!Topics.TryGetValue(topic, out var log)) Topics[topic] = log = new TopicLog();
        return log;
    }

    private void CheckNode(int node)
    {
        if ((uint)node >= (uint)PeerCount)
            throw new ArgumentOutOfRangeException(nameof(node), node, $"Node ids are 0 to {PeerCount - 1}.");
    }

    private static void CheckTopic(int topic) => ArgumentOutOfRangeException.ThrowIfNegative(topic);

    private static void CheckTime(double time)
    {
        if (!(time >= 0 && double.IsFinite(time)))
            throw new ArgumentOutOfRangeException(nameof(time), time, "Times are finite simulation seconds ≥ 0.");
    }
}
