using System.Collections.Concurrent;
using Akka.Actor;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Partitioned;

namespace SweetGossip.Simulation.Tests.Runtime;

/// <summary>The fresh randomness of a partitioned run: each node's own stream, continued, whatever shares its thread.</summary>
public sealed class PartitionedFreshnessTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Draws 32 fresh bytes per message, as a signature's aux data would.</summary>
    private sealed class Drawer : UntypedActor
    {
        private readonly ConcurrentQueue<string> _draws;

        public Drawer(ConcurrentQueue<string> draws) => _draws = draws;

        protected override void OnReceive(object message)
        {
            var bytes = new byte[32];
            FreshRandomness.Fill(bytes);
            _draws.Enqueue(Convert.ToHexString(bytes));
        }
    }

    /// <summary>
    /// Nodes n0..n3, each told once a millisecond <paramref name="messages"/> times (each message its own work item, so a
    /// thread with several nodes switches node at every one); the bytes each node drew, in order.
    /// </summary>
    private static List<string>[] Draws(int partitions, int messages)
    {
        const int nodes = 4;
        using var engine = new PartitionedSimulation(partitions, nodes, TimeSpan.FromMilliseconds(5), Start, "ERROR", freshRoot: 42);
        var draws = Enumerable.Range(0, nodes).Select(_ => new ConcurrentQueue<string>()).ToArray();
        var actors = Enumerable.Range(0, nodes)
            .Select(n => engine.Layout.PartitionOfNode(n).Sim.System.ActorOf(Props.Create(() => new Drawer(draws[n])), "n" + n))
            .ToArray();
        for (var m = 0; m < messages; m++)
            for (var n = 0; n < nodes; n++)
                engine.Layout.PartitionOfNode(n).Sim.System.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(m), actors[n], m, ActorRefs.NoSender);
        engine.RunUntil(TimeSpan.FromMilliseconds(20));
        return [.. draws.Select(d => d.ToList())];
    }

    [Fact]
    public void A_node_continues_its_own_stream_when_other_nodes_ran_in_between()
    {
        // One partition: every message of n0 is followed by one of n1, n2, n3, so the thread switches node each time.
        var draws = Draws(partitions: 1, messages: 8);
        foreach (var node in draws)
        {
            Assert.Equal(8, node.Count);
            Assert.Equal(node.Count, node.Distinct().Count()); // a stream restarted on each switch repeats its first bytes
        }
        Assert.Equal(32, draws.SelectMany(d => d).Distinct().Count()); // and no two nodes share bytes
    }

    [Fact]
    public void A_node_draws_the_same_bytes_however_the_nodes_are_partitioned()
    {
        var one = Draws(partitions: 1, messages: 6);
        var two = Draws(partitions: 2, messages: 6);
        var four = Draws(partitions: 4, messages: 6);
        for (var node = 0; node < one.Length; node++)
        {
            Assert.Equal(one[node], two[node]);
            Assert.Equal(one[node], four[node]);
        }
    }
}
