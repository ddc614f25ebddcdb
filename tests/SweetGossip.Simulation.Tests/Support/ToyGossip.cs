using SweetGossip.Protocol.Gossip;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Randomness;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Tests.Support;

/// <summary>
/// A tiny discrete-event push gossip over the building blocks, standing in for the real runner in tests:
/// each peer relays a topic once, to <c>fanout</c> random neighbours (not back to its source), while hops
/// remain; silent attackers relay nothing; each interested driver that gets a topic replies, and the
/// reply is paid along the path. Shows how a runner drives the recorder.
/// </summary>
internal static class ToyGossip
{
    public static SimulationResults Run(SimulationConfig config)
    {
        SimulationConfigValidator.ThrowIfInvalid(config);
        var population = TaxiPopulation.Generate(config);
        var graph = TopologyFactory.Build(config.Topology, population.Positions, population.Projection, config.Seed);
        var adversaries = AdversaryPlan.Assign(config);
        var latency = new LatencySampler(config.Latency, config.Seed);
        var topics = TopicSchedule.Generate(config, population);
        var recorder = new MetricsRecorder(config.PeerCount, config.Metrics);
        for (var node = 0; node < config.PeerCount; node++)
            recorder.DescribePeer(node, population.Peers[node].Kind, adversaries.IsHonest(node));

        var prices = config.Taxi.Prices;
        foreach (var topic in topics)
        {
            var interested = population.InterestedDrivers(topic.PickupGeohash, topic.TimeSeconds);
            recorder.TopicOriginated(topic.Topic, topic.TimeSeconds, topic.Origin, interested);
            var random = SeedStreams.Open(config.Seed, "toy-gossip", topic.Topic);
            var parent = new Dictionary<int, int> { [topic.Origin] = -1 };
            var queue = new PriorityQueue<(int Node, int From, int Hops), (double, long)>();
            long sequence = 0;

            void Relay(int node, int from, int hops, double now)
            {
                if (hops >= config.Hops || (!adversaries.IsHonest(node) && now >= adversaries.AttackOf(node)!.Attack.MisbehaviourStartSeconds)) return;
                var peers = graph.Neighbours(node).ToArray();
                foreach (var next in FanoutSelector.Choose<int?>(peers.Select(p => (int?)p).ToArray(), from < 0 ? null : from, config.Fanout, random))
                {
                    recorder.FrameSent(now, node, next!.Value, FrameKind.Broadcast, 600);
                    recorder.PowSpent(now, node, 1L << config.DifficultyBits);
                    var at = now + latency.SampleMilliseconds(node, next.Value, sequence) / 1000;
                    queue.Enqueue((next.Value, node, hops + 1), (at, sequence++));
                }
            }

            Relay(topic.Origin, -1, 0, topic.TimeSeconds);
            while (queue.TryDequeue(out var item, out var key))
            {
                var (node, from, hops) = item;
                var now = key.Item1;
                if (parent.ContainsKey(node))
                {
                    recorder.DuplicateReceived(topic.Topic, now, node);
                    continue;
                }
                parent[node] = from;
                recorder.FirstReceived(topic.Topic, now, node, hops);
                if (interested.Contains(node) && adversaries.IsHonest(node))
                    Reply(recorder, topic, node, parent, now, prices);
                else
                    Relay(node, from, hops, now);
            }
        }
        return recorder.Aggregate();
    }

    private static void Reply(MetricsRecorder recorder, ScheduledTopic topic, int replier, Dictionary<int, int> parent, double now, Prices prices)
    {
        var path = new List<int>();
        for (var n = parent[replier]; n != -1; n = parent[n]) path.Add(n); // middlemen…, origin last
        recorder.ReplyDelivered(topic.Topic, now + 0.1 * path.Count, topic.Origin, replier);
        var amount = prices.DriverPriceMsat;
        recorder.PaymentReceived(now, replier, PaymentRole.Replier, amount);
        foreach (var middleman in path.Take(path.Count - 1))
        {
            recorder.PaymentMade(now, middleman, PaymentRole.Middleman, amount);
            amount += prices.RelayFeeMsat;
            recorder.PaymentReceived(now, middleman, PaymentRole.Middleman, amount);
        }
        recorder.PaymentMade(now, topic.Origin, PaymentRole.Originator, amount);
    }
}
