using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Policies;
using SweetGossip.Protocol.Topics;
using static SweetGossip.Node.Tests.Core.InProcessNetwork;

namespace SweetGossip.Node.Tests.Core;

public class WholeFlowTests
{
    private const ulong Price = 25_000 * Sat;
    private const ulong Liquidity = 100_000 * Sat;

    private static async Task<IReadOnlyList<RunningNode>> Line(InProcessNetwork net, Func<NodeSettings, NodeSettings>? tweak = null)
    {
        // originator — m1 — m2 — driver
        var driver = net.Start("driver", 0, new TaxiDriverPolicy("r3gx", Price, "Prius, 6 min away"), tweak: tweak);
        // Middlemen pay downstream before they are paid upstream: they need liquidity, as on Lightning.
        var m2 = net.Start("m2", Liquidity, peers: ["driver"], tweak: tweak);
        var m1 = net.Start("m1", Liquidity, peers: ["m2"], tweak: tweak);
        var originator = net.Start("originator", 1_000_000 * Sat, peers: ["m1"], tweak: tweak);
        foreach (var (node, peers) in new[] { (originator, 1), (m1, 2), (m2, 2), (driver, 1) })
            await AwaitPeers(node, peers);
        return [originator, m1, m2, driver];
    }

    private static async Task AwaitPeers(RunningNode node, int count)
    {
        using var deadline = new CancellationTokenSource(InProcessNetwork.Timeout);
        while ((await node.Node.Ask<NodeStatus>(GetNodeStatus.Instance, InProcessNetwork.Timeout)).Peers < count)
        {
            deadline.Token.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }

    private static async Task<ReplyDelivered> OriginateAndAwaitReply(InProcessNetwork net, RunningNode originator)
    {
        var inbox = Inbox.Create(net.System);
        originator.Node.Tell(new SubscribeReplies(inbox.Receiver));
        var now = DateTimeOffset.UtcNow;
        originator.Node.Tell(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)));
        return (ReplyDelivered)await inbox.ReceiveAsync(InProcessNetwork.Timeout);
    }

    [Fact]
    public async Task A_taxi_job_crosses_two_middlemen_the_rider_pays_every_hop_and_reads_the_validated_offer()
    {
        await using var net = new InProcessNetwork();
        var nodes = await Line(net);
        var (originator, m1, m2, driver) = (nodes[0], nodes[1], nodes[2], nodes[3]);
        var total = net.Lightning.TotalMsat;

        var delivered = await OriginateAndAwaitReply(net, originator);

        Assert.Equal("Prius, 6 min away", delivered.Message);
        Assert.Equal("driver", delivered.ContactAddress);
        Assert.Equal("taxi-driver", delivered.Replier.Body.Name);
        Assert.True(delivered.AckConfirmed);
        const ulong fee = 1_000; // NodeSettings.RelayFeeMsat's default
        Assert.Equal(Price + 2 * fee, delivered.PaidMsat);
        Assert.Equal(Price, (await driver.Lightning.GetBalanceAsync()).AvailableMsat);
        Assert.Equal(Liquidity + fee, (await m1.Lightning.GetBalanceAsync()).AvailableMsat);
        Assert.Equal(Liquidity + fee, (await m2.Lightning.GetBalanceAsync()).AvailableMsat);
        Assert.Equal(1_000_000 * Sat - Price - 2 * fee, (await originator.Lightning.GetBalanceAsync()).AvailableMsat);
        Assert.Equal(total, net.Lightning.TotalMsat);
    }

    [Fact]
    public async Task Lightning_priced_favours_work_as_well_as_proof_of_work()
    {
        await using var net = new InProcessNetwork();
        const ulong favourPrice = 50 * Sat;
        var nodes = await Line(net, s => s with { FavourPriceMsat = favourPrice, MaxFavourPriceMsat = favourPrice, RelayFeeMsat = 0 });
        var (originator, m1, m2) = (nodes[0], nodes[1], nodes[2]);

        var delivered = await OriginateAndAwaitReply(net, originator);

        Assert.True(delivered.AckConfirmed);
        // The rider paid m1 for its favour, m1 paid m2, m2 paid the driver: each middleman ends even on favours.
        Assert.Equal(1_000_000 * Sat - Price - favourPrice, (await originator.Lightning.GetBalanceAsync()).AvailableMsat);
        Assert.Equal(Liquidity, (await m1.Lightning.GetBalanceAsync()).AvailableMsat);
        Assert.Equal(Liquidity, (await m2.Lightning.GetBalanceAsync()).AvailableMsat);
    }

    [Fact]
    public async Task In_a_mesh_with_two_drivers_each_node_carries_the_topic_once_and_the_rider_pays_one_offer()
    {
        await using var net = new InProcessNetwork();
        //   originator — a — b — driver1
        //        \      |  \  /
        //         c ———— d   driver2
        var driver1 = net.Start("driver1", 0, new TaxiDriverPolicy("r3gx", Price, "driver one"));
        var driver2 = net.Start("driver2", 0, new TaxiDriverPolicy("r3g", Price, "driver two"));
        var b = net.Start("b", Liquidity, peers: ["driver1", "driver2"]);
        var d = net.Start("d", Liquidity, peers: ["b", "driver2"]);
        var a = net.Start("a", Liquidity, peers: ["b", "d"]);
        var c = net.Start("c", Liquidity, peers: ["d"]);
        var originator = net.Start("originator", 1_000_000 * Sat, peers: ["a", "c"]);
        foreach (var (node, peers) in new[] { (originator, 2), (a, 3), (b, 4), (c, 2), (d, 4), (driver1, 1), (driver2, 2) })
            await AwaitPeers(node, peers);

        var delivered = await OriginateAndAwaitReply(net, originator);
        Assert.True(delivered.AckConfirmed);
        Assert.Contains(delivered.Message, new[] { "driver one", "driver two" });

        // Every node saw the topic exactly once, however many paths reached it.
        foreach (var node in new[] { a, b, c, d, driver1, driver2 })
            Assert.Equal(1, (await node.Node.Ask<NodeStatus>(GetNodeStatus.Instance, InProcessNetwork.Timeout)).PayloadsSeen);
        // Exactly one offer was paid for: one driver earned the price, the other nothing.
        var earned = new[] { (await driver1.Lightning.GetBalanceAsync()).AvailableMsat, (await driver2.Lightning.GetBalanceAsync()).AvailableMsat };
        Assert.Equal((long)Price, earned.Sum(x => (long)x));
        Assert.Equal(1_000_000 * Sat - delivered.PaidMsat, (await originator.Lightning.GetBalanceAsync()).AvailableMsat);
    }
}
