using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Topics;
using static SweetGossip.Node.Tests.Core.InProcessNetwork;

namespace SweetGossip.Node.Tests.Core;

/// <summary>
/// The whole job flow with every link on real TCP (loopback, ephemeral ports), the nodes sharing one
/// embedded Lightning network as they would share the real one: gossip, favours, reply, payment chain,
/// and Validate/Ack over a direct TCP link to the driver's contact address.
/// </summary>
public class TcpWholeFlowTests
{
    private const ulong Price = 25_000 * Sat;
    private const ulong Liquidity = 100_000 * Sat;

    private static Task<ListeningNode> StartAsync(InProcessNetwork net, string name, ulong balance, IReplyPolicy? policy = null, ListeningNode? peer = null,
        string contactAddress = "") =>
        net.StartTcpAsync(name, balance, policy, peer is null ? null : [peer], contactAddress);

    private static Task AwaitPeers(ListeningNode node, int count) => InProcessNetwork.AwaitPeersAsync(node, count);

    /// <summary>
    /// A rider already linked to the driver validates over that link: it does not dial the contact address again (here
    /// one nobody listens on; under load a second dial could also time out), and the driver's Ack comes back.
    /// </summary>
    [Fact]
    public async Task A_rider_linked_to_the_driver_validates_over_the_link_it_has()
    {
        await using var net = new InProcessNetwork();
        var driver = await StartAsync(net, "driver", 0, new TaxiDriverPolicy("r3gx", Price, "Prius, 6 min away"), contactAddress: "127.0.0.1:1");
        var rider = await StartAsync(net, "rider", 1_000_000 * Sat, peer: driver);
        await AwaitPeers(rider, 1);
        await AwaitPeers(driver, 1);

        var inbox = Inbox.Create(net.System);
        rider.Running.Node.Tell(new SubscribeReplies(inbox.Receiver));
        var now = DateTimeOffset.UtcNow;
        rider.Running.Node.Tell(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)));
        var delivered = (ReplyDelivered)await inbox.ReceiveAsync(InProcessNetwork.Timeout);

        Assert.Equal("127.0.0.1:1", delivered.ContactAddress);
        Assert.True(delivered.AckConfirmed);
    }

    [Fact]
    public async Task A_taxi_job_crosses_two_middlemen_over_tcp_and_the_rider_pays_and_validates_directly()
    {
        await using var net = new InProcessNetwork();
        var driver = await StartAsync(net, "driver", 0, new TaxiDriverPolicy("r3gx", Price, "Prius, 6 min away"));
        var m2 = await StartAsync(net, "m2", Liquidity, peer: driver);
        var m1 = await StartAsync(net, "m1", Liquidity, peer: m2);
        var rider = await StartAsync(net, "rider", 1_000_000 * Sat, peer: m1);
        foreach (var (node, peers) in new[] { (rider, 1), (m1, 2), (m2, 2), (driver, 1) })
            await AwaitPeers(node, peers);

        var inbox = Inbox.Create(net.System);
        rider.Running.Node.Tell(new SubscribeReplies(inbox.Receiver));
        var now = DateTimeOffset.UtcNow;
        rider.Running.Node.Tell(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)));
        var delivered = (ReplyDelivered)await inbox.ReceiveAsync(InProcessNetwork.Timeout);

        Assert.Equal("Prius, 6 min away", delivered.Message);
        Assert.Equal(driver.Listening.Address, delivered.ContactAddress);
        Assert.True(delivered.AckConfirmed); // the Ack came back over a direct TCP link to the driver
        Assert.Equal(Price + 2 * 1_000, delivered.PaidMsat);
        Assert.Equal(Price, (await driver.Running.Lightning.GetBalanceAsync()).AvailableMsat);
    }
}
