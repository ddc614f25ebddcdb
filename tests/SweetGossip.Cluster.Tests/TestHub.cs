using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using SweetGossip.Cluster.Hosting;

namespace SweetGossip.Cluster.Tests;

/// <summary>
/// A hub of real members in this test process: one ActorSystem each, Akka.Remote on 127.0.0.1 (free ports), the
/// first member its own seed. Waits are generous: these run beside other builds on a 2-core machine.
/// </summary>
internal sealed class TestHub : IAsyncDisposable
{
    public const string SystemName = "hub";

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private TestHub(IReadOnlyList<HubMember> members) => Members = members;

    public IReadOnlyList<HubMember> Members { get; }

    public HubMember this[int index] => Members[index];

    /// <summary>Member settings as an operator would write them, on loopback, with test-sized waits.</summary>
    public static HubClusterSettings Settings(string extra = "")
    {
        var hocon = $$"""
            sweetgossip.cluster {
              seed-nodes = ["akka.tcp://{{SystemName}}@127.0.0.1:1"]
              hostname = "127.0.0.1"
              port = 0
              split-brain-stable-after = 5s
              topics.number-of-shards = 12
              topics.claim-timeout = 30s
              peer-links.gossip-interval = 200ms
              peer-links.unlinked-linger = 2s
              {{extra}}
            }
            """;
        return HubClusterSettings.Load(ConfigurationFactory.ParseString(hocon), SystemName)!;
    }

    /// <param name="nodeConfig">Each member's own config under the cluster's (a node's journal, say), by member index.</param>
    /// <param name="extraSettings">More <c>sweetgossip.cluster</c> settings for every member.</param>
    public static async Task<TestHub> StartAsync(int count, Func<int, Config>? nodeConfig = null, string extraSettings = "")
    {
        // Members move to Up together once all have joined, so each member's own Up is the wait.
        var settings = Settings($"min-nr-of-members = {count}\n{extraSettings}");
        var members = new List<HubMember>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var system = HubMember.CreateSystem(SystemName, settings, nodeConfig is null ? QuietLogs : QuietLogs.WithFallback(nodeConfig(i)));
                // Port 0 binds a free port; the first member's bound address is everyone's seed.
                var seed = i == 0 ? Akka.Cluster.Cluster.Get(system).SelfAddress : members[0].Address;
                members.Add(HubMember.Start(system, settings with { SeedNodes = [seed] }));
            }
            await Task.WhenAll(members.Select(m => m.WhenUp)).WaitAsync(Patience);
            foreach (var member in members)
                await AwaitMembersUp(member, count);
            return new TestHub(members);
        }
        catch
        {
            await Task.WhenAll(members.Select(m => m.System.Terminate()));
            throw;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after <see cref="Patience"/>.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {Patience}");
            await Task.Delay(50);
        }
    }

    /// <summary>A node's status (peers, topics, map sizes).</summary>
    public static Task<SweetGossip.Node.Core.NodeStatus> Status(SweetGossip.Node.Core.ListeningNode node) =>
        node.Running.Node.Ask<SweetGossip.Node.Core.NodeStatus>(SweetGossip.Node.Core.GetNodeStatus.Instance, Patience);

    public static TestProbe Probe(HubMember member) => new(member.System, new XunitAssertions());

    /// <summary>
    /// An actor of <paramref name="member"/> that forwards everything to <paramref name="probe"/> (which may belong to
    /// another member's ActorSystem). A sender that other members answer must be an actor of the system it sends from:
    /// a local ref of another system in this process would be serialized as if it were the sender's own.
    /// </summary>
    public static IActorRef Relay(HubMember member, TestProbe probe) =>
        member.System.ActorOf(Props.Create(() => new Forwarder(probe.Ref)));

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target) => ReceiveAny(message => target.Forward(message));
    }

    /// <summary>Until <paramref name="member"/> sees <paramref name="count"/> members Up.</summary>
    public static Task AwaitMembersUp(HubMember member, int count)
    {
        var cluster = Akka.Cluster.Cluster.Get(member.System);
        return Probe(member).AwaitAssertAsync(
            () => Assert.Equal(count, cluster.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up)),
            Patience, TimeSpan.FromMilliseconds(200));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            try
            {
                await member.System.Terminate().WaitAsync(Patience);
            }
            catch (TimeoutException)
            {
                // A member that will not stop must not hide the test's own outcome.
            }
        }
    }

    private static readonly Config QuietLogs = ConfigurationFactory.ParseString(Environment.GetEnvironmentVariable("SG_CLUSTER_DEBUG") is { Length: > 0 } ? """
        akka.loglevel = DEBUG
        akka.cluster.sharding.verbose-debug-logging = on
        """ : """
        akka.loglevel = WARNING
        akka.log-dead-letters = off
        akka.cluster.log-info = off
        """);
}
