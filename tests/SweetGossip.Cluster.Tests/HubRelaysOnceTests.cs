using System.Collections.Concurrent;
using Akka.Actor;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Hub;
using SweetGossip.Node.Observation;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Cluster.Tests;

/// <summary>
/// Issue 12's "each topic is handled once hub-wide": two members of one hub (one identity, an Akka.Cluster on
/// loopback, each with its own TCP listener and SQLite journal) receive the same payload at about the same moment
/// from two different peers; the topic-claims shard lets exactly one of them relay it. Plain nodes on real TCP:
/// an originator O, two middlemen P1 (linked to member A) and P2 (to member B), and a sink behind each member.
/// Without the claim both members relay (the loser runs a topic too). Then a member sends to a peer linked only to
/// the other member, through the peer-link registry.
/// </summary>
public class HubRelaysOnceTests
{
    private static readonly TimeSpan Patience = TestHub.Patience;
    private static readonly TcpTransportSettings Loopback = NodeDefaults.Transport with { Listen = "127.0.0.1:0" };

    private sealed class Watch : INodeObserver
    {
        public readonly ConcurrentDictionary<PayloadId, int> Accepted = new();
        public readonly ConcurrentDictionary<PayloadId, string> ClaimsLost = new();
        public readonly TaskCompletionSource Anything = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void TopicAccepted(PublicKey node, PayloadId payload, PublicKey from, int hopsRemaining, DateTimeOffset at)
        {
            Accepted.AddOrUpdate(payload, 1, (_, n) => n + 1);
            Anything.TrySetResult();
        }

        public readonly ConcurrentDictionary<PayloadId, int> Duplicates = new();

        public void DuplicateOffered(PublicKey node, PayloadId payload, PublicKey from, DateTimeOffset at) => Duplicates.AddOrUpdate(payload, 1, (_, n) => n + 1);

        public void TopicClaimLost(PublicKey node, PayloadId payload, string owner, DateTimeOffset at)
        {
            ClaimsLost[payload] = owner;
            Anything.TrySetResult();
        }
    }

    private sealed class World
    {
        public readonly CertificateAuthority Authority = new("Hub Test Council", PrivateKey.Generate());
        public readonly TrustedAuthorities Trusted = new();
        public readonly EmbeddedLightningNetwork Lightning = new(new EmbeddedNetworkOptions { Seed = 12 });
        public readonly string Directory = Path.Combine(Path.GetTempPath(), "sg-hub-" + Guid.NewGuid().ToString("N")[..8]);

        public World() => Trusted.Trust(Authority.Name, Authority.PublicKey);

        public NodeSettings Settings(PrivateKey key, IReadOnlyList<string> peers, INodeObserver observer)
        {
            var now = DateTimeOffset.UtcNow;
            return NodeDefaults.Node with
            {
                Identity = key,
                CertificateKey = key,
                Certificate = Authority.Issue(key.PublicKey, "rider", [], now.AddDays(-1), now.AddDays(30)),
                Trusted = Trusted,
                ContactAddress = "",
                StaticPeers = peers,
                BaseDifficultyBits = 4,
                PowWorkers = 1,
                Observer = observer,
            };
        }
    }

    private static Task AwaitPeers(ListeningNode node, int count) =>
        Eventually(async () => (await node.Running.Node.Ask<NodeStatus>(GetNodeStatus.Instance, Patience)).Peers >= count);

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within " + Patience);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Two_members_receiving_one_payload_from_two_peers_relay_it_once()
    {
        var world = new World();
        await using var hub = await TestHub.StartAsync(2, i => NodeConfig.Build(dataDirectory: Path.Combine(world.Directory, "member" + i)));
        var peers = ActorSystem.Create("peers", NodeConfig.Build("akka.loglevel = WARNING", Path.Combine(world.Directory, "peers")));
        try
        {
            var hubKey = PrivateKey.Generate(); // the hub's one identity, held by every member
            var watchA = new Watch();
            var watchB = new Watch();
            var a = await NodeHost.StartTcpAsync(hub[0].System, "node", world.Settings(hubKey, [], watchA), Loopback, world.Lightning.CreateNode(0), TimeProvider.System,
                SettlementSettings.Default, hub: HubRole.Of(hub[0]));
            var b = await NodeHost.StartTcpAsync(hub[1].System, "node", world.Settings(hubKey, [], watchB), Loopback, world.Lightning.CreateNode(0), TimeProvider.System,
                SettlementSettings.Default, hub: HubRole.Of(hub[1]));

            async Task<ListeningNode> Plain(string name, IReadOnlyList<string> links, INodeObserver observer) =>
                await NodeHost.StartTcpAsync(peers, name, world.Settings(PrivateKey.Generate(), links, observer), Loopback, world.Lightning.CreateNode(0), TimeProvider.System, SettlementSettings.Default);
            var sinkA = new Watch();
            var sinkB = new Watch();
            var origin = await Plain("o", [], NoObserver.Instance);
            var p1 = await Plain("p1", [origin.Listening.Address, a.Listening.Address], NoObserver.Instance);
            var p2 = await Plain("p2", [origin.Listening.Address, b.Listening.Address], NoObserver.Instance);
            var s1Key = (await Plain("s1", [a.Listening.Address], sinkA)).Settings.Identity.PublicKey;
            var s2Key = (await Plain("s2", [b.Listening.Address], sinkB)).Settings.Identity.PublicKey;
            await AwaitPeers(origin, 2);
            await AwaitPeers(a, 2);
            await AwaitPeers(b, 2);

            var now = DateTimeOffset.UtcNow;
            var originated = await origin.Running.Node.Ask<TopicOriginated>(
                new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)), Patience);
            var payload = originated.PayloadId;

            // Both members accept the payload (each from its own middleman); one loses the claim and says so.
            await Eventually(() => Task.FromResult(watchA.ClaimsLost.ContainsKey(payload) || watchB.ClaimsLost.ContainsKey(payload)));
            var (winner, loser, winnerSink, loserSink) = watchA.ClaimsLost.ContainsKey(payload) ? (watchB, watchA, sinkB, sinkA) : (watchA, watchB, sinkA, sinkB);
            Assert.Equal(1, winner.Accepted.GetValueOrDefault(payload));
            Assert.Equal(1, loser.Accepted.GetValueOrDefault(payload));
            Assert.False(winner.ClaimsLost.ContainsKey(payload));
            Assert.Contains(winner == watchA ? hub[0].Address.ToString() : hub[1].Address.ToString(), loser.ClaimsLost[payload]);

            // The winner relays to its sink; the loser started no topic. The loser's sink may still be asked, by the winner's
            // topic through the loser's link (any member reaches any peer): once, as one hub.
            await Eventually(() => Task.FromResult(winnerSink.Accepted.ContainsKey(payload)));
            Assert.True(loserSink.Accepted.GetValueOrDefault(payload) <= 1);
            var loserNode = loser == watchA ? a : b;
            var status = await loserNode.Running.Node.Ask<NodeStatus>(GetNodeStatus.Instance, Patience);
            Assert.Equal(0, status.TopicsInFlight);
            Assert.Equal(0, status.Maps!["hub-claims-pending"]);

            // Any member reaches any peer: the loser holds no link to the winner's sink, yet a frame it sends there
            // goes through the peer-link registry to the winner's link. (An ask for a payload the sink has seen: it
            // reports the duplicate offer, from the hub's identity.)
            var winnerSinkKey = winner == watchA ? s1Key : s2Key;
            // Sent again while unseen: the registry learns the winner's links by gossip, which a loaded machine can delay.
            await Eventually(() =>
            {
                if (winnerSink.Duplicates.ContainsKey(payload)) return Task.FromResult(true);
                loserNode.Running.Node.Tell(new Node.Core.SendToPeer(winnerSinkKey, new Protocol.Frames.AskForFavour(AskId.New(), originated.Request)));
                return Task.FromResult(false);
            });
        }
        finally
        {
            await peers.Terminate();
            world.Lightning.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { System.IO.Directory.Delete(world.Directory, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The hub's claims as a loaded hub answers them at first: the first claim of each payload is never answered.</summary>
    private sealed class SlowFirstClaims : ReceiveActor
    {
        public SlowFirstClaims(ConcurrentDictionary<PayloadId, int> claims) =>
            Receive<Claims.ClaimTopic>(claim =>
            {
                if (claims.AddOrUpdate(claim.PayloadId, 1, (_, n) => n + 1) > 1)
                    Sender.Tell(new Claims.TopicClaimed(claim.PayloadId, claim.Claimant, claim.ExpiresAt));
            });
    }

    [Fact]
    public async Task A_claim_the_hub_does_not_answer_in_time_is_sent_again_and_the_topic_is_relayed()
    {
        var world = new World();
        var system = ActorSystem.Create("claims", NodeConfig.Build("akka.loglevel = WARNING", world.Directory));
        try
        {
            var claims = new ConcurrentDictionary<PayloadId, int>();
            var hub = new HubRole(system.ActorOf(Props.Create(() => new SlowFirstClaims(claims))), system.ActorOf(Props.Empty),
                new Address("akka.tcp", "hub", "127.0.0.1", 1), TimeSpan.FromMilliseconds(300)) { ClaimAttempts = 3 };
            var member = await NodeHost.StartTcpAsync(system, "member", world.Settings(PrivateKey.Generate(), [], NoObserver.Instance), Loopback,
                world.Lightning.CreateNode(0), TimeProvider.System, SettlementSettings.Default, hub: hub);
            var origin = await NodeHost.StartTcpAsync(system, "o", world.Settings(PrivateKey.Generate(), [member.Listening.Address], NoObserver.Instance), Loopback,
                world.Lightning.CreateNode(0), TimeProvider.System, SettlementSettings.Default);
            var sink = new Watch();
            await NodeHost.StartTcpAsync(system, "s", world.Settings(PrivateKey.Generate(), [member.Listening.Address], sink), Loopback,
                world.Lightning.CreateNode(0), TimeProvider.System, SettlementSettings.Default);
            await AwaitPeers(member, 2);

            var now = DateTimeOffset.UtcNow;
            var originated = await origin.Running.Node.Ask<TopicOriginated>(
                new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)), Patience);

            // Without the retry the member drops the topic after its first claim's timeout, and the sink never sees it.
            await Eventually(() => Task.FromResult(sink.Accepted.ContainsKey(originated.PayloadId)));
            Assert.InRange(claims[originated.PayloadId], 2, 3); // a third if the grant of the second came late
        }
        finally
        {
            await system.Terminate();
            world.Lightning.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { System.IO.Directory.Delete(world.Directory, recursive: true); } catch (IOException) { }
        }
    }
}
