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

    private static Task AwaitPeers(RunningNode node, int count) => InProcessNetwork.AwaitPeersAsync(node, count);

    private static Task<ReplyDelivered> OriginateAndAwaitReply(InProcessNetwork net, RunningNode originator) => net.OriginateAndAwaitReply(originator);

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
    public async Task Lightning_priced_favours_work_in_announce_mode_as_in_fanout()
    {
        await using var net = new InProcessNetwork();
        const ulong favourPrice = 50 * Sat;
        var observer = new Support.RecordingObserver();
        var nodes = await Line(net, s => s with { Dissemination = Dissemination.Announce, FavourPriceMsat = favourPrice, MaxFavourPriceMsat = favourPrice, RelayFeeMsat = 0, Observer = observer });
        var (originator, m1, m2) = (nodes[0], nodes[1], nodes[2]);

        var delivered = await OriginateAndAwaitReply(net, originator);

        Assert.True(delivered.AckConfirmed);
        // Each announcement was answered with an invoice, paid, and redeemed by the broadcast: every middleman ends even.
        Assert.Equal(1_000_000 * Sat - Price - favourPrice, (await originator.Lightning.GetBalanceAsync()).AvailableMsat);
        Assert.Equal(Liquidity, (await m1.Lightning.GetBalanceAsync()).AvailableMsat);
        Assert.Equal(Liquidity, (await m2.Lightning.GetBalanceAsync()).AvailableMsat);
        // Each granting node (m1, m2, the driver) reports the price it earned once its invoice settled, as its payer reports paying it.
        await Support.Eventually.True(() => observer.Payments.Count(p => p.Side == Observation.PaymentSide.FavourEarned) >= 3
            && observer.Payments.Count(p => p.Side == Observation.PaymentSide.FavourPaid) >= 3);
        var earned = observer.Payments.Where(p => p.Side == Observation.PaymentSide.FavourEarned).ToList();
        Assert.Equal(3, earned.Select(p => p.Node).Distinct().Count());
        Assert.All(earned, p => Assert.Equal(favourPrice, p.Msat));
        Assert.Equal(earned.Sum(p => (long)p.Msat), observer.Payments.Where(p => p.Side == Observation.PaymentSide.FavourPaid).Sum(p => (long)p.Msat));
    }

    [Fact]
    public async Task In_a_mesh_with_two_drivers_each_node_carries_the_topic_once_and_the_rider_pays_one_offer()
    {
        await using var net = new InProcessNetwork();
        var observer = new Support.RecordingObserver();
        NodeSettings Observed(NodeSettings s) => s with { Observer = observer };
        //   originator — a — b — driver1
        //        \      |  \  /
        //         c ———— d   driver2
        var driver1 = net.Start("driver1", 0, new TaxiDriverPolicy("r3gx", Price, "driver one"), tweak: Observed);
        var driver2 = net.Start("driver2", 0, new TaxiDriverPolicy("r3g", Price, "driver two"), tweak: Observed);
        var b = net.Start("b", Liquidity, peers: ["driver1", "driver2"], tweak: Observed);
        var d = net.Start("d", Liquidity, peers: ["b", "driver2"], tweak: Observed);
        var a = net.Start("a", Liquidity, peers: ["b", "d"], tweak: Observed);
        var c = net.Start("c", Liquidity, peers: ["d"], tweak: Observed);
        var originator = net.Start("originator", 1_000_000 * Sat, peers: ["a", "c"], tweak: Observed);
        foreach (var (node, peers) in new[] { (originator, 2), (a, 3), (b, 4), (c, 2), (d, 4), (driver1, 1), (driver2, 2) })
            await AwaitPeers(node, peers);

        var delivered = await OriginateAndAwaitReply(net, originator);
        Assert.True(delivered.AckConfirmed);
        Assert.Contains(delivered.Message, new[] { "driver one", "driver two" });

        // The topic reaches every node (the slowest path may still be under way when the rider is served)...
        await Support.Eventually.True(() => observer.Accepted.Select(x => x.Node).Distinct().Count() >= 6);
        // ...and each node accepted it exactly once, however many paths reached it.
        Assert.All(observer.Accepted.GroupBy(x => x.Node), g => Assert.Single(g));
        // Exactly one offer was paid for: one driver earned the price, the other nothing.
        var earned = new[] { (await driver1.Lightning.GetBalanceAsync()).AvailableMsat, (await driver2.Lightning.GetBalanceAsync()).AvailableMsat };
        Assert.Equal((long)Price, earned.Sum(x => (long)x));
        Assert.Equal(1_000_000 * Sat - delivered.PaidMsat, (await originator.Lightning.GetBalanceAsync()).AvailableMsat);
    }

    [Fact]
    public async Task Nodes_report_what_they_do_to_their_observer()
    {
        await using var net = new InProcessNetwork();
        var observer = new Support.RecordingObserver();
        // Without the originator's cover (D23), so hops count down one per hop.
        var nodes = await Line(net, s => s with { Observer = observer, OriginCoverKeep = 0 });
        var (originator, m1, m2, driver) = (nodes[0], nodes[1], nodes[2], nodes[3]);

        var delivered = await OriginateAndAwaitReply(net, originator);

        Assert.Equal(delivered.PayloadId, Assert.Single(observer.Originated));
        Assert.Equal((delivered.PayloadId, true), Assert.Single(observer.Delivered));
        // m1, m2 and the driver each accepted the topic once, one hop further each time.
        var accepted = observer.Accepted.OrderByDescending(a => a.HopsRemaining).ToList();
        Assert.Equal(3, accepted.Count);
        Assert.Equal([8, 7, 6], accepted.Select(a => a.HopsRemaining));
        Assert.Equal(3, observer.PowHashes.Count); // one favour bought per hop
        Assert.Contains(observer.Frames, f => f.Frame == "Reply" && f.Bytes > 0);
        const ulong fee = 1_000;
        // The middlemen hear of their settled invoices on their own, around the time the rider does.
        await Support.Eventually.True(() => observer.Payments.Count(p => p.Side == Observation.PaymentSide.MiddlemanEarned) >= 2
            && observer.Payments.Any(p => p.Side == Observation.PaymentSide.ReplierEarned) && observer.Payments.Any(p => p.Side == Observation.PaymentSide.OriginatorPaid));
        Assert.Contains(observer.Payments, p => p.Side == Observation.PaymentSide.ReplierEarned && p.Msat == Price);
        Assert.Equal(2, observer.Payments.Count(p => p.Side == Observation.PaymentSide.MiddlemanEarned && p.Msat == fee));
        Assert.Contains(observer.Payments, p => p.Side == Observation.PaymentSide.OriginatorPaid && p.Msat == Price + 2 * fee);
    }
}
