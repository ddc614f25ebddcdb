using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using SweetGossip.Cluster.Books;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Hub;
using SweetGossip.Node.Observation;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Cluster.Tests;

/// <summary>
/// Issue 12's "any member can reach any peer", end to end: two members of one hub (one identity, an Akka.Cluster on
/// loopback, each with its own TCP listener), an originator O linked only to member A, and a peer linked only to member
/// B. O's topic enters the hub at A, so A's topic actor owns it; A must ask B's peer (its view of the hub's links), and
/// that peer's conditions, broadcast, reply and ThankYou cross between the members (B's link, A's topic).
/// </summary>
public class HubReachesAnyPeerTests
{
    private const ulong Sat = 1000;
    private const ulong Price = 25_000 * Sat;
    private static readonly TimeSpan Patience = TestHub.Patience;
    private static readonly TcpTransportSettings Loopback = NodeDefaults.Transport with { Listen = "127.0.0.1:0" };

    private sealed class Watch : INodeObserver
    {
        public readonly ConcurrentDictionary<PayloadId, PublicKey> Accepted = new();

        public void TopicAccepted(PublicKey node, PayloadId payload, PublicKey from, int hopsRemaining, DateTimeOffset at) => Accepted[payload] = from;
    }

    /// <summary>The hub (members A and B, SQLite journals of their own) and the plain peers' ActorSystem, on real TCP.</summary>
    private sealed class World : IAsyncDisposable
    {
        public readonly CertificateAuthority Authority = new("Hub Test Council", PrivateKey.Generate());
        public readonly TrustedAuthorities Trusted = new();
        public readonly EmbeddedLightningNetwork Lightning = new(new EmbeddedNetworkOptions { Seed = 13 });
        public readonly string Directory = Path.Combine(Path.GetTempPath(), "sg-hubpeers-" + Guid.NewGuid().ToString("N")[..8]);
        public readonly PrivateKey HubKey = PrivateKey.Generate();
        public readonly Watch WatchA = new();
        public readonly Watch WatchB = new();
        public TestHub Hub = null!;
        // With a shared journal: the hub's one Lightning node and each member's settlement book (member A's runs on B).
        public ILightningNode? HubLightning;
        public IReadOnlyList<HubSettlement>? Books;
        public ActorSystem Peers = null!;
        public ListeningNode A = null!;
        public ListeningNode B = null!;

        public World() => Trusted.Trust(Authority.Name, Authority.PublicKey);

        /// <param name="journal">A PostgreSQL server for the hub's shared journal: settlement as books, member A's on member B.</param>
        public static async Task<World> StartAsync(PostgreSqlServer? journal = null)
        {
            var world = new World();
            world.Hub = await TestHub.StartAsync(2, i => journal is null
                ? NodeConfig.Build(dataDirectory: Path.Combine(world.Directory, "member" + i))
                : ConfigurationFactory.ParseString(SettlementMessageSerializer.Hocon + "\nakka.loglevel = WARNING")
                    .WithFallback(NodeConfig.WithPostgreSql(NodeConfig.Reference, journal.ConnectionString)));
            world.Peers = ActorSystem.Create("peers", NodeConfig.Build("akka.loglevel = WARNING", Path.Combine(world.Directory, "peers")));
            if (journal is not null)
            {
                var lightning = world.HubLightning = world.Lightning.CreateNode(100_000 * Sat);
                var books = world.Books = world.Hub.Members.Select(m => HubSettlement.Start(m, lightning, TimeProvider.System, SettlementSettings.Default)).ToList();
                // A book starts on the member that first asks for it: member B asks for A's first.
                var viaB = world.Hub[1].System.ActorOf(BookShard.Forwarder(books[1].Region, books[0].BookId));
                await viaB.Ask<object>(new DecodeInvoice("not an invoice"), Patience);
                var onB = await books[1].Region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Patience);
                Assert.Contains(onB.Shards, shard => shard.ShardId == books[0].BookId);
            }
            world.A = await world.Member(0, world.WatchA);
            world.B = await world.Member(1, world.WatchB);
            return world;
        }

        private Task<ListeningNode> Member(int index, INodeObserver observer) =>
            NodeHost.StartTcpAsync(Hub[index].System, "node", Settings(HubKey, "relay", [], observer), Loopback, HubLightning ?? Lightning.CreateNode(100_000 * Sat), TimeProvider.System,
                SettlementSettings.Default, hub: HubRole.Of(Hub[index]), settlementProps: Books is { } books ? books[index].Forwarder() : null);

        public Task<ListeningNode> Plain(string name, ListeningNode member, INodeObserver observer, ulong balanceMsat = 0, IReplyPolicy? policy = null) =>
            NodeHost.StartTcpAsync(Peers, name, Settings(PrivateKey.Generate(), policy is null ? "rider" : "taxi-driver", [member.Listening.Address], observer) with
            {
                ReplyPolicy = policy ?? NeverReply.Instance,
            }, Loopback, Lightning.CreateNode(balanceMsat), TimeProvider.System, SettlementSettings.Default);

        private NodeSettings Settings(PrivateKey key, string role, IReadOnlyList<string> peers, INodeObserver observer)
        {
            var now = DateTimeOffset.UtcNow;
            return NodeDefaults.Node with
            {
                Identity = key,
                CertificateKey = key,
                Certificate = Authority.Issue(key.PublicKey, role, [], now.AddDays(-1), now.AddDays(30)),
                Trusted = Trusted,
                ContactAddress = "",
                StaticPeers = peers,
                BaseDifficultyBits = 4,
                PowWorkers = 1,
                Observer = observer,
            };
        }

        public async ValueTask DisposeAsync()
        {
            if (Peers is not null) await Peers.Terminate();
            if (Hub is not null) await Hub.DisposeAsync();
            Lightning.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Until O and its member, and the far peer and its member, are linked, and member A's view shows the far peer.</summary>
    private static async Task AwaitTopology(World world, ListeningNode origin, ListeningNode far)
    {
        await TestHub.Eventually(async () => (await TestHub.Status(origin)).Peers >= 1, "O linked to member A");
        await TestHub.Eventually(async () => (await TestHub.Status(far)).Peers >= 1, "the far peer linked to member B");
        await TestHub.Eventually(async () => (await TestHub.Status(world.A)).Maps.GetValueOrDefault("hub-peers") >= 1, "member A sees the peer member B links to");
    }

    private static TaxiTopic Ride(DateTimeOffset now) => TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now);

    [Fact]
    public async Task A_topic_entering_member_A_is_asked_of_a_peer_linked_only_to_member_B()
    {
        await using var world = await World.StartAsync();
        var sink = new Watch();
        var origin = await world.Plain("o", world.A, NoObserver.Instance);
        var far = await world.Plain("s", world.B, sink);
        await AwaitTopology(world, origin, far);

        var now = DateTimeOffset.UtcNow;
        var originated = await origin.Running.Node.Ask<TopicOriginated>(new OriginateTopic(Ride(now), TimeSpan.FromMinutes(20)), Patience);
        var payload = originated.PayloadId;

        // A asked S through B's link, S's conditions came back through B to A's topic, A's broadcast went out on B's link.
        await TestHub.Eventually(() => Task.FromResult(sink.Accepted.ContainsKey(payload)), "the peer linked to member B accepts the topic");
        Assert.Equal(world.HubKey.PublicKey, sink.Accepted[payload]);
        Assert.True(world.WatchA.Accepted.ContainsKey(payload));
        Assert.False(world.WatchB.Accepted.ContainsKey(payload)); // the topic entered the hub once, at A
        Assert.Equal(0, (await TestHub.Status(world.B)).TopicsInFlight);
        Assert.Equal(1, (await TestHub.Status(world.B)).Maps["hub-member-topics"]); // B forwards S's answers for it to A
    }

    [Fact]
    public async Task A_replier_linked_only_to_member_B_answers_and_the_originator_behind_member_A_pays_and_opens_the_reply()
    {
        await using var world = await World.StartAsync();
        var origin = await world.Plain("rider", world.A, NoObserver.Instance, balanceMsat: 1_000_000 * Sat);
        var driver = await world.Plain("driver", world.B, NoObserver.Instance, policy: new TaxiDriverPolicy("r3gx", Price, "Prius, 6 min away"));
        await AwaitTopology(world, origin, driver);

        var inbox = Inbox.Create(world.Peers);
        origin.Running.Node.Tell(new SubscribeReplies(inbox.Receiver, IncludeArrivals: true));
        origin.Running.Node.Tell(new OriginateTopic(Ride(DateTimeOffset.UtcNow), TimeSpan.FromMinutes(20)));

        // The driver's reply reaches member B (its link); B forwards it to A, whose topic relays it to the rider.
        var arrived = (ReplyArrived)await inbox.ReceiveAsync(Patience);
        Assert.Equal(world.HubKey.PublicKey, arrived.Via);
        var delivered = (ReplyDelivered)await inbox.ReceiveAsync(Patience);
        Assert.Equal(arrived.PayloadId, delivered.PayloadId);
        Assert.Equal("Prius, 6 min away", delivered.Message);
        Assert.Equal(driver.Listening.Address, delivered.ContactAddress);
        Assert.True(delivered.AckConfirmed); // validated over a direct link to the driver
        Assert.True(delivered.PaidMsat >= Price);
        // Member A paid the driver's invoice (the hub's relay), through the peer's answer forwarded from B.
        await TestHub.Eventually(async () => (await driver.Running.Lightning.GetBalanceAsync()).AvailableMsat == Price, "the driver is paid");
    }

    /// <summary>
    /// The hub itself originates a topic on member A, whose settlement book runs on member B (books on the shared
    /// PostgreSQL journal); a driver linked only to member B replies. A's topic buys the reply: the PayInvoice carrying
    /// the purchase crosses to the book on B, and the book's ReplyPaid crosses back to A's node, which opens and delivers
    /// the reply. Before, both were refused by the settlement serializer: the reply was never bought.
    /// </summary>
    [Fact]
    public async Task A_member_whose_book_runs_on_another_member_buys_and_opens_a_reply_from_a_peer_linked_to_that_member()
    {
        using var journal = new PostgreSqlServer();
        await using var world = await World.StartAsync(journal);
        var driver = await world.Plain("driver", world.B, NoObserver.Instance, policy: new TaxiDriverPolicy("r3gx", Price, "Prius, 6 min away"));
        await TestHub.Eventually(async () => (await TestHub.Status(driver)).Peers >= 1, "the driver linked to member B");
        await TestHub.Eventually(async () => (await TestHub.Status(world.A)).Maps.GetValueOrDefault("hub-peers") >= 1, "member A sees the driver");

        var inbox = Inbox.Create(world.Hub[0].System);
        world.A.Running.Node.Tell(new SubscribeReplies(inbox.Receiver, IncludeArrivals: true));
        world.A.Running.Node.Tell(new OriginateTopic(Ride(DateTimeOffset.UtcNow), TimeSpan.FromMinutes(20)));

        var arrived = (ReplyArrived)await inbox.ReceiveAsync(Patience);
        Assert.Equal(driver.Settings.Identity.PublicKey, arrived.Via);
        var delivered = (ReplyDelivered)await inbox.ReceiveAsync(Patience);
        Assert.Equal(arrived.PayloadId, delivered.PayloadId);
        Assert.Equal("Prius, 6 min away", delivered.Message);
        Assert.True(delivered.PaidMsat >= Price);
        await TestHub.Eventually(async () => (await driver.Running.Lightning.GetBalanceAsync()).AvailableMsat == Price, "the driver is paid");
    }
}
