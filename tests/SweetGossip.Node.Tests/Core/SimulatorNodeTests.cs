using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Transport;
using SweetGossip.Protocol.Topics;
using static SweetGossip.Node.Tests.Core.InProcessNetwork; // Sat

namespace SweetGossip.Node.Tests.Core;

/// <summary>
/// A simulator's node (<see cref="InMemoryNetwork.SimulatorNodes"/>) spends no actor on its PoW worker or its seen-payloads
/// journal (issue 13 item 3: 2 of a simulated peer's 6 actors), and still does a whole taxi job, proofs of work included;
/// a real node keeps both actors.
/// </summary>
public class SimulatorNodeTests
{
    private const ulong Price = 25_000 * Sat;
    private const ulong Liquidity = 100_000 * Sat;

    private static IReadOnlyList<string> ChildNames(RunningNode node) =>
        Assert.IsType<ActorCell>(((ActorRefWithCell)node.Node).Underlying).ChildrenContainer.Children.Select(c => c.Path.Name).ToList();

    private static Task AwaitPeers(RunningNode node, int count) => InProcessNetwork.AwaitPeersAsync(node, count);

    /// <summary>originator — middleman — driver; difficulty 8 bits, above what a topic solves without its worker.</summary>
    private static async Task<(RunningNode Originator, RunningNode Middleman, RunningNode Driver)> Line(InProcessNetwork net)
    {
        var driver = net.Start("driver", 0, new TaxiDriverPolicy("r3gx", Price, "Prius, 6 min away"));
        var middleman = net.Start("middleman", Liquidity, peers: ["driver"]);
        var originator = net.Start("originator", 1_000_000 * Sat, peers: ["middleman"]);
        foreach (var (node, peers) in new[] { (originator, 1), (middleman, 2), (driver, 1) })
            await AwaitPeers(node, peers);
        return (originator, middleman, driver);
    }

    private static Task<ReplyDelivered> OriginateAndAwaitReply(InProcessNetwork net, RunningNode originator) => net.OriginateAndAwaitReply(originator);

    [Fact]
    public async Task A_simulator_node_has_no_pow_worker_or_journal_actor_and_still_pays_its_way_through_a_taxi_job()
    {
        await using var net = new InProcessNetwork(new InMemoryNetwork { SimulatorNodes = true });
        var (originator, middleman, driver) = await Line(net);

        var delivered = await OriginateAndAwaitReply(net, originator);

        // The originator's proof for the middleman and the middleman's for the driver went through the actorless worker.
        Assert.True(delivered.AckConfirmed);
        Assert.Equal(Price + 1_000, delivered.PaidMsat);
        Assert.Equal(Price, (await driver.Lightning.GetBalanceAsync()).AvailableMsat);
        foreach (var node in new[] { originator, middleman, driver })
        {
            var children = ChildNames(node);
            Assert.DoesNotContain("pow", children);
            Assert.DoesNotContain("seen", children);
        }
        // Dedup still holds without the journal: the router's own set remembers the payload.
        Assert.Equal(1, (await middleman.Node.Ask<NodeStatus>(GetNodeStatus.Instance, InProcessNetwork.Timeout)).PayloadsSeen);
    }

    [Fact]
    public async Task A_real_node_keeps_its_pow_worker_and_its_seen_payloads_journal_as_actors()
    {
        await using var net = new InProcessNetwork();
        var node = net.Start("real", 0);
        await node.Node.Ask<NodeStatus>(GetNodeStatus.Instance, InProcessNetwork.Timeout); // answered once the journal has recovered

        var children = ChildNames(node);
        Assert.Contains("pow", children);
        Assert.Contains("seen", children);
    }
}
