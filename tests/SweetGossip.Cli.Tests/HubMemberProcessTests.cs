using System.Net;
using System.Net.Sockets;
using SweetGossip.Node.Tests.Support;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// Issue 12 on real processes: two `sgossip node run` members of one relay hub (one identity key, a `sweetgossip.cluster`
/// section, Akka.Cluster between them on loopback) and five plain nodes. An originator's topic reaches member 1 through
/// p1 and member 2 through p2; the hub relays it once: exactly one of the sinks behind the members carries it, and
/// the other member says it was claimed first elsewhere. Then a member leaves on SIGTERM (CoordinatedShutdown) and
/// stops cleanly.
/// </summary>
public class HubMemberProcessTests : CliTestBase
{
    [Fact]
    public async Task Two_member_processes_relay_a_topic_once_and_a_member_leaves_cleanly()
    {
        var ca = NewAuthority();
        var authority = PublicKeyOf(ca);
        var hubKey = NewKey("hub.key");
        Issue(Path.Combine(Dir, "ca.json"), hubKey, "hub.cert");
        var seedPort = FreePort();
        var processes = new List<NodeProcessHandle>();
        try
        {
            async Task<(NodeProcessHandle Node, string Listen, string Metrics)> Start(string name, string config)
            {
                var node = NodeProcessHandle.Start(name, config);
                processes.Add(node);
                var ready = await node.LineAsync(l => l.Contains(" ready listen=", StringComparison.Ordinal), "its ready line");
                return (node, Field(ready, "listen"), Field(ready, "metrics"));
            }
            var seed = $"akka.tcp://sgossip@127.0.0.1:{seedPort}";
            var m1 = await Start("member1", Member("member1", authority, seedPort, seed));
            var m2 = await Start("member2", Member("member2", authority, 0, seed));
            Assert.Contains("hub-member=akka.tcp://sgossip@127.0.0.1:", m1.Node.Output);
            var origin = await Start("origin", Plain("origin", authority, []));
            await Start("p1", Plain("p1", authority, [origin.Listen, m1.Listen]));
            await Start("p2", Plain("p2", authority, [origin.Listen, m2.Listen]));
            var s1 = await Start("s1", Plain("s1", authority, [m1.Listen]));
            var s2 = await Start("s2", Plain("s2", authority, [m2.Listen]));
            await origin.Node.LinesAsync(l => l.Contains(": up (", StringComparison.Ordinal), 2, "links to p1 and p2");
            await m1.Node.LinesAsync(l => l.Contains(": up (", StringComparison.Ordinal), 2, "links to p1 and s1");
            await m2.Node.LinesAsync(l => l.Contains(": up (", StringComparison.Ordinal), 2, "links to p2 and s2");

            var control = Field(origin.Node.Output.Split('\n').First(l => l.Contains(" ready listen=", StringComparison.Ordinal)), "control");
            var payloadId = Ok("topic", "broadcast", "--control", control, "--lat", "-33.8647", "--lon", "151.2096", "--before", "now+30m", "--json")
                .Json().GetProperty("payload_id").GetString()!;

            // One member loses the claim and says so; the other relays to its sink.
            await await Task.WhenAny(
                m1.Node.LineAsync(l => l.Contains($"payload {payloadId} not relayed here", StringComparison.Ordinal), "member 1 losing the claim"),
                m2.Node.LineAsync(l => l.Contains($"payload {payloadId} not relayed here", StringComparison.Ordinal), "member 2 losing the claim"));
            var member1Lost = m1.Node.Output.Contains($"payload {payloadId} not relayed here", StringComparison.Ordinal);
            var (winnerSink, loserSink) = member1Lost ? (s2, s1) : (s1, s2);
            var relayed = await Scrape.GetAsync(winnerSink.Metrics);
            for (var deadline = DateTime.UtcNow.AddMinutes(1); relayed.Sum("sweetgossip_topics_relayed_total") < 1 && DateTime.UtcNow < deadline; await Task.Delay(100))
                relayed = await Scrape.GetAsync(winnerSink.Metrics);
            Assert.Equal(1, relayed.Sum("sweetgossip_topics_relayed_total"));
            // The loser's sink may be asked by the winner's topic through the loser's link (any member reaches any peer): once.
            Assert.True((await Scrape.GetAsync(loserSink.Metrics)).Sum("sweetgossip_topics_relayed_total") <= 1);
            Assert.False(member1Lost && m2.Node.Output.Contains($"payload {payloadId} not relayed here", StringComparison.Ordinal));

            // The operator's cluster gauges: both members Up as each sees it, and the claim's shard hosted by one of them.
            async Task<(double Members1, double Members2, double Shards)> Gauges()
            {
                var (a, b) = (await Scrape.GetAsync(m1.Metrics), await Scrape.GetAsync(m2.Metrics));
                return (a.Sum("sweetgossip_cluster_members"), b.Sum("sweetgossip_cluster_members"),
                    a.Sum("sweetgossip_cluster_shards") + b.Sum("sweetgossip_cluster_shards"));
            }
            var gauges = await Gauges();
            for (var deadline = DateTime.UtcNow.AddMinutes(1); gauges is not (2, 2, >= 1) && DateTime.UtcNow < deadline; await Task.Delay(100))
                gauges = await Gauges();
            Assert.Equal((2d, 2d), (gauges.Members1, gauges.Members2));
            Assert.True(gauges.Shards >= 1, $"the claim's shard is hosted by a member ({gauges.Shards} shards reported)");

            // A graceful leave: SIGTERM runs CoordinatedShutdown (cluster leave, shards handed over) and the process stops cleanly.
            Assert.Equal(0, await m2.Node.TerminateAsync());
            Assert.Contains(" stopped", m2.Node.Output);
        }
        finally
        {
            foreach (var process in processes.Where(p => !p.HasExited)) await process.TerminateAsync();
            foreach (var process in processes) await process.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string Member(string name, string authority, int port, string seed) => WriteNodeConfig(name, authority, "hub", [], section: $$"""
          cluster {
            seed-nodes = ["{{seed}}"]
            hostname = "127.0.0.1"
            port = {{port}}
            min-nr-of-members = 1
            metrics-interval = 200ms
          }
        """);

    private string Plain(string name, string authority, IReadOnlyList<string> peers)
    {
        var key = NewKey($"{name}.key");
        Issue(Path.Combine(Dir, "ca.json"), key, $"{name}.cert");
        return WriteNodeConfig(name, authority, name, peers);
    }
}
