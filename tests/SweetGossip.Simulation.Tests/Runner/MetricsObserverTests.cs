using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Runner;

namespace SweetGossip.Simulation.Tests.Runner;

public sealed class MetricsObserverTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Hops_are_links_travelled_even_when_origin_cover_keeps_the_maximum_hops_remaining()
    {
        // origin 0 → 1 → 2 → 3 on a line; with origin cover (D23) peers 1 and 2 pass the broadcast on at the maximum
        // hops unchanged, so all three receive hops_remaining = 10: max − hops_remaining would say hop 1 for each.
        const int maxHops = 10;
        var metrics = new MetricsRecorder(4);
        var observer = new MetricsObserver(metrics, Start, maxHops, _ => null);
        var keys = Enumerable.Range(0, 4).Select(i => Entropy.Seeded(100 + i).NewKey().PublicKey).ToArray();
        for (var i = 0; i < keys.Length; i++) observer.AddNode(keys[i], i);
        var payload = PayloadId.New();

        observer.WillOriginate(0, topic: 0);
        observer.TopicOriginated(keys[0], payload, Start.AddSeconds(1));
        for (var i = 1; i < keys.Length; i++)
            observer.TopicAccepted(keys[i], payload, keys[i - 1], maxHops, Start.AddSeconds(1 + 0.1 * i));

        var topic = metrics.Aggregate().Topics.Single();
        Assert.Equal(3, topic.Milestone(1.0).Hops);
        Assert.Equal(2, topic.Milestone(0.5).Hops);
    }

    [Fact]
    public void A_sender_never_seen_receiving_falls_back_to_hops_remaining()
    {
        var metrics = new MetricsRecorder(3);
        var observer = new MetricsObserver(metrics, Start, 10, _ => null);
        var keys = Enumerable.Range(0, 3).Select(i => Entropy.Seeded(200 + i).NewKey().PublicKey).ToArray();
        for (var i = 0; i < keys.Length; i++) observer.AddNode(keys[i], i);
        var payload = PayloadId.New();
        observer.WillOriginate(0, topic: 0);
        observer.TopicOriginated(keys[0], payload, Start);
        // Peer 1 relays a copy it was never reported receiving (as an attacker's node may): 10 − 7 + 1 = 4 hops.
        observer.TopicAccepted(keys[2], payload, keys[1], 7, Start.AddSeconds(1));
        // One of the two other peers got it: the 50 % milestone.
        Assert.Equal(4, metrics.Aggregate().Topics.Single().Milestone(0.5).Hops);
    }
}
