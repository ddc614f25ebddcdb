using System.Net;
using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Observation;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Tests.Core;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Topics;
using static SweetGossip.Node.Tests.Core.InProcessNetwork;

namespace SweetGossip.Node.Tests.Metrics;

/// <summary>The node meter is process-wide: tests that count exactly run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeterCollection
{
    public const string Name = "node meter, counted exactly";
}

/// <summary>
/// A taxi job over real TCP (rider — m1 — m2 — driver, one embedded Lightning network), scraped over real HTTP
/// before and after: every instrument moved by exactly what the job did at its one place.
/// </summary>
[Collection(MeterCollection.Name)]
public class MetricsOverTcpTests
{
    private const ulong Price = 25_000 * Sat;
    private const ulong Fee = 1_000; // NodeSettings' relay fee

    private static readonly TcpTransportSettings Loopback = NodeDefaults.Transport with { Listen = "127.0.0.1:0" };

    [Fact]
    public async Task A_taxi_job_over_tcp_moves_every_counter_by_what_it_did()
    {
        using var endpoint = MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, 0), "test-node");
        var before = await Scrape.GetAsync(endpoint.Url);
        await using var net = new InProcessNetwork();
        var driver = await StartAsync(net, "driver", 0, new TaxiDriverPolicy("r3gx", Price, "Prius, 6 min away"));
        var m2 = await StartAsync(net, "m2", 100_000 * Sat, peer: driver);
        var m1 = await StartAsync(net, "m1", 100_000 * Sat, peer: m2);
        var rider = await StartAsync(net, "rider", 1_000_000 * Sat, peer: m1);
        foreach (var (node, peers) in new[] { (rider, 1), (m1, 2), (m2, 2), (driver, 1) })
            await Eventually.Value(() => node.Running.Node.Ask<NodeStatus>(GetNodeStatus.Instance, InProcessNetwork.Timeout), s => s.Peers >= peers);
        var linked = await Scrape.GetAsync(endpoint.Url);
        Assert.Equal(6, Delta(before, linked, "sweetgossip_links_open")); // three links, counted at both ends

        var inbox = Inbox.Create(net.System);
        rider.Running.Node.Tell(new SubscribeReplies(inbox.Receiver));
        var now = DateTimeOffset.UtcNow;
        rider.Running.Node.Tell(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)));
        var delivered = (ReplyDelivered)await inbox.ReceiveAsync(InProcessNetwork.Timeout);
        Assert.Equal(Price + 2 * Fee, delivered.PaidMsat);

        // The last settle (m1's upstream invoice) is journaled after the rider already holds the preimage: wait for it.
        var after = await Eventually.Value(() => Scrape.GetAsync(endpoint.Url), s => Delta(before, s, "sweetgossip_payments_total", "direction=\"in\"") >= 3, InProcessNetwork.Timeout);
        Assert.Equal(1, Delta(before, after, "sweetgossip_topics_originated_total"));
        Assert.Equal(3, Delta(before, after, "sweetgossip_topics_relayed_total")); // m1, m2, driver
        Assert.Equal(0, Delta(before, after, "sweetgossip_topics_deduplicated_total")); // a line has one path
        Assert.Equal(3, Delta(before, after, "sweetgossip_favours_granted_total", "kind=\"pow\""));
        Assert.Equal(3, Delta(before, after, "sweetgossip_favours_redeemed_total"));
        Assert.Equal(3, Delta(before, after, "sweetgossip_pow_solutions_total")); // rider, m1, m2
        Assert.True(Delta(before, after, "sweetgossip_pow_hashes_total") >= 3);
        // Money: rider pays m1, m1 pays m2, m2 pays the driver; each relay's invoice and the driver's settle.
        Assert.Equal(3, Delta(before, after, "sweetgossip_payments_total", "direction=\"in\""));
        Assert.Equal(3, Delta(before, after, "sweetgossip_payments_total", "direction=\"out\""));
        Assert.Equal(3 * Price + 3 * Fee, Delta(before, after, "sweetgossip_payments_msat_total", "direction=\"in\""));
        Assert.True(Delta(before, after, "sweetgossip_payments_msat_total", "direction=\"out\"") >= 3 * Price + 3 * Fee);
        Assert.True(Delta(before, after, "sweetgossip_settlement_journal_duration_milliseconds_count") >= 6);
        Assert.Equal(0, Delta(before, after, "sweetgossip_handshakes_refused_total"));
    }

    private static double Delta(Scrape before, Scrape after, string metric, string? label = null) => after.Sum(metric, label) - before.Sum(metric, label);

    private static async Task<ListeningNode> StartAsync(InProcessNetwork net, string name, ulong balance, IReplyPolicy? policy = null, ListeningNode? peer = null)
    {
        var key = PrivateKey.Generate();
        var now = DateTimeOffset.UtcNow;
        var settings = NodeDefaults.Node with
        {
            Identity = key,
            CertificateKey = key,
            Certificate = net.Authority.Issue(key.PublicKey, policy is null ? "rider" : "taxi-driver", [], now.AddDays(-1), now.AddDays(30)),
            Trusted = net.Trusted,
            ContactAddress = "",
            StaticPeers = peer is null ? [] : [peer.Listening.Address],
            BaseDifficultyBits = 8,
            PowWorkers = 1,
            ReplyPolicy = policy ?? NeverReply.Instance,
            Observer = MeterObserver.Instance,
        };
        return await NodeHost.StartTcpAsync(net.System, name, settings, Loopback, net.Lightning.CreateNode(balance), TimeProvider.System, NodeDefaults.Settlement);
    }
}
