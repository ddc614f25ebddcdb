using System.Diagnostics.Metrics;

namespace SweetGossip.Node.Observation;

/// <summary>
/// The node's instruments for operators, on one <see cref="Meter"/> named <see cref="MeterName"/> (exported by
/// <see cref="MetricsEndpoint"/>; the Prometheus names are in docs/decisions.md). Each is recorded at the one place
/// its event happens. The meter is process-wide: one `sgossip node run` is one node; nodes sharing a process
/// (tests, the simulator) add up. With nobody listening a recording costs a branch.
/// </summary>
public static class NodeMetrics
{
    public const string MeterName = "SweetGossip.Node";

    private static readonly Meter Meter = new(MeterName, typeof(NodeMetrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> HandshakesRefused = Meter.CreateCounter<long>(
        "sweetgossip.handshakes.refused", "{connection}", "Connections refused before or at the handshake, by reason (limit, banned, invalid, timeout).");

    private static readonly Counter<long> TopicsRelayed = Meter.CreateCounter<long>(
        "sweetgossip.topics.relayed", "{topic}", "Topics accepted from a peer for the first time: each is handled once and relayed on.");

    private static readonly Counter<long> TopicsOriginated = Meter.CreateCounter<long>(
        "sweetgossip.topics.originated", "{topic}", "Topics this node originated.");

    private static readonly Counter<long> TopicsDeduplicated = Meter.CreateCounter<long>(
        "sweetgossip.topics.deduplicated", "{offer}", "Offers of a topic already seen, dropped, by frame (ask, broadcast).");

    private static readonly Counter<long> FavoursGranted = Meter.CreateCounter<long>(
        "sweetgossip.favours.granted", "{favour}", "Favour conditions sent to an asking peer, by kind (pow, lightning).");

    private static readonly Counter<long> FavoursRedeemed = Meter.CreateCounter<long>(
        "sweetgossip.favours.redeemed", "{favour}", "Broadcasts that redeemed one of this node's favours with a valid proof.");

    private static readonly Counter<long> PowHashes = Meter.CreateCounter<long>(
        "sweetgossip.pow.hashes", "{hash}", "Hashes tried by this node's proof-of-work solutions.");

    private static readonly Counter<long> PowSolutions = Meter.CreateCounter<long>(
        "sweetgossip.pow.solutions", "{solution}", "Proofs of work this node solved.");

    private static readonly Counter<long> Payments = Meter.CreateCounter<long>(
        "sweetgossip.payments", "{payment}", "Lightning payments journaled as final: in (an invoice of this node settled), out (a payment of this node succeeded).");

    private static readonly Counter<long> PaymentsMsat = Meter.CreateCounter<long>(
        "sweetgossip.payments.msat", "msat", "Millisatoshis of those payments (out includes the routing fee).");

    private static readonly Histogram<double> JournalLatency = Meter.CreateHistogram(
        "sweetgossip.settlement.journal.duration", "ms", "From handing a batch of settlement events to the journal to its write being confirmed.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] });

    // A level, not a sum of changes: a listener that attaches late (the endpoint starts after a link) still reads it right.
    private static long _linksOpen;
    private static int _clusterMembers = -1;
    private static int _clusterShards = -1;

    static NodeMetrics()
    {
        Meter.CreateObservableUpDownCounter("sweetgossip.links.open", () => Interlocked.Read(ref _linksOpen), "{link}",
            "Peer links whose handshake proved the peer and whose peer was admitted, open now.");
        // Reported only once the cluster code has set them: a plain node exports neither.
        Meter.CreateObservableGauge("sweetgossip.cluster.members", () => Observe(Volatile.Read(ref _clusterMembers)), "{member}", "Members of this hub's cluster that are up, as this member sees them.");
        Meter.CreateObservableGauge("sweetgossip.cluster.shards", () => Observe(Volatile.Read(ref _clusterShards)), "{shard}", "Topic shards hosted by this member.");
    }

    public static void LinkOpened() => Interlocked.Increment(ref _linksOpen);

    public static void LinkClosed() => Interlocked.Decrement(ref _linksOpen);

    public static void HandshakeRefused(HandshakeRefusal reason) => HandshakesRefused.Add(1, new KeyValuePair<string, object?>("reason", Label(reason)));

    public static void TopicRelayed() => TopicsRelayed.Add(1);

    public static void TopicOriginated() => TopicsOriginated.Add(1);

    public static void TopicDeduplicated(bool ask) => TopicsDeduplicated.Add(1, new KeyValuePair<string, object?>("frame", ask ? "ask" : "broadcast"));

    public static void FavourGranted(bool lightning) => FavoursGranted.Add(1, Kind(lightning));

    public static void FavourRedeemed() => FavoursRedeemed.Add(1);

    public static void PowSolved(long hashes)
    {
        PowSolutions.Add(1);
        PowHashes.Add(hashes);
    }

    /// <param name="incoming">An invoice of this node settled (true) or a payment of this node succeeded (false).</param>
    public static void PaymentFinal(bool incoming, ulong msat)
    {
        var direction = new KeyValuePair<string, object?>("direction", incoming ? "in" : "out");
        Payments.Add(1, direction);
        // A counter of long: an amount past 2^63 msat (92 million BTC) is not a real payment.
        PaymentsMsat.Add((long)Math.Min(msat, long.MaxValue), direction);
    }

    public static void JournalWritten(TimeSpan took) => JournalLatency.Record(took.TotalMilliseconds);

    /// <summary>For the cluster code: what <c>sweetgossip.cluster.members</c> and <c>.shards</c> report from now on.</summary>
    public static void ReportCluster(int membersUp, int shardsHosted)
    {
        Volatile.Write(ref _clusterMembers, Math.Max(0, membersUp));
        Volatile.Write(ref _clusterShards, Math.Max(0, shardsHosted));
    }

    private static IEnumerable<Measurement<int>> Observe(int value) => value < 0 ? [] : [new Measurement<int>(value)];

    private static KeyValuePair<string, object?> Kind(bool lightning) => new("kind", lightning ? "lightning" : "pow");

    private static string Label(HandshakeRefusal reason) => reason switch
    {
        HandshakeRefusal.Limit => "limit",
        HandshakeRefusal.Banned => "banned",
        HandshakeRefusal.Invalid => "invalid",
        _ => "timeout",
    };
}
