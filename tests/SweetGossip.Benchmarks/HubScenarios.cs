using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using SweetGossip.Cluster.Claims;
using SweetGossip.Cluster.Hosting;
using SweetGossip.Node.Core;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Benchmarks;

/// <summary>
/// A relay hub of M members (issue 12): one Akka.Cluster on 127.0.0.1, one ActorSystem per member in this process,
/// each member a node with the hub's one identity and its own TCP listener and SQLite journal. Hand-written peers dial
/// different members: an originator and a sink per member. Measured:
///   relay: unique topics the hub as a whole forwards per second (every topic claimed hub-wide in the topic-claims
///          shard, so a third to a half of claims cross members when M is 2 or 3);
///   one cross-member hop: a frame a member's node sends to a peer linked to another member (PeerLinkRegistry, Akka.Remote)
///          against one to a peer linked to the member itself, one frame at a time, p50/p99;
///   claim round trip: a member's ClaimTopic answered by the shard (local or remote shard, as the payload id falls).
///   dotnet run -c Release --project tests/SweetGossip.Benchmarks -- hub [members] [topics] [--json]
/// </summary>
public static class HubScenarios
{
    public sealed record HubFigures(int Members, int Topics, double RelayPerS, double RelaySeconds, double VerifyPerS, int Cores,
        int Samples, double LocalP50Ms, double LocalP99Ms, double? CrossMemberP50Ms, double? CrossMemberP99Ms, double? CrossMemberAddedP50Ms,
        double ClaimP50Ms, double ClaimP99Ms);

    private const string SystemName = "hub";
    private const int LatencySamples = 1_000, LatencyWarmUp = 200, ClaimSamples = 1_000;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static async Task RunAsync(int memberCount, int topics, bool json)
    {
        if (memberCount is < 1 or > 9) throw new ArgumentOutOfRangeException(nameof(memberCount), "members must be 1..9");
        var verifyRate = NodeScenarios.SchnorrVerifyRate();
        await using var world = new NodeScenarios.World();
        var members = await StartMembersAsync(world, memberCount);
        try
        {
            var hubKey = PrivateKey.Generate();
            var nodes = new List<ListeningNode>();
            for (var i = 0; i < memberCount; i++) nodes.Add(await world.StartMemberAsync(members[i], "node", hubKey));

            Progress($"{memberCount} member(s) up");
            var relay = await RelayAsync(world, nodes, topics);
            Progress("relay measured");
            var (local, cross) = await HopLatencyAsync(world, nodes);
            Progress("hop latency measured");
            var claims = await ClaimLatencyAsync(members[^1]);
            Progress("claims measured");

            double? P(List<double>? s, double p) => s is null ? null : Math.Round(NodeScenarios.Percentile(s, p), 3);
            var figures = new HubFigures(memberCount, topics, Math.Round(relay.Rate), Math.Round(relay.Elapsed.TotalSeconds, 3), Math.Round(verifyRate), Environment.ProcessorCount,
                LatencySamples, P(local, 0.5)!.Value, P(local, 0.99)!.Value, P(cross, 0.5), P(cross, 0.99),
                cross is null ? null : Math.Round(NodeScenarios.Percentile(cross, 0.5) - NodeScenarios.Percentile(local, 0.5), 3),
                P(claims, 0.5)!.Value, P(claims, 0.99)!.Value);
            if (json)
            {
                Console.WriteLine(NodeScenarios.Json(figures));
                return;
            }
            Console.WriteLine($"Schnorr verify, this run: {verifyRate:N0}/s on one core; {Environment.ProcessorCount} cores shared by {memberCount} member(s) and the peers");
            Console.WriteLine($"hub of {memberCount}: {topics} unique topics forwarded in {relay.Elapsed.TotalSeconds:0.00} s = {relay.Rate:N0}/s");
            Console.WriteLine($"frame to a peer linked to the sending member: p50 {figures.LocalP50Ms} ms, p99 {figures.LocalP99Ms} ms");
            if (cross is not null)
                Console.WriteLine($"frame to a peer linked to another member: p50 {figures.CrossMemberP50Ms} ms, p99 {figures.CrossMemberP99Ms} ms (p50 added {figures.CrossMemberAddedP50Ms} ms)");
            Console.WriteLine($"topic claim round trip: p50 {figures.ClaimP50Ms} ms, p99 {figures.ClaimP99Ms} ms");
        }
        finally
        {
            // One after the other: members stopping at the same moment can stall each other (stack-notes.md).
            foreach (var member in members.AsEnumerable().Reverse())
                await member.System.Terminate().WaitAsync(Patience);
        }
    }

    /// <summary>Where a run is, on stderr (stdout carries the figures).</summary>
    private static void Progress(string what) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {what}");

    private static async Task<List<HubMember>> StartMembersAsync(NodeScenarios.World world, int count)
    {
        var settings = HubClusterSettings.Load(ConfigurationFactory.ParseString($$"""
            sweetgossip.cluster {
              seed-nodes = ["akka.tcp://{{SystemName}}@127.0.0.1:1"]
              hostname = "127.0.0.1"
              port = 0
              min-nr-of-members = {{count}}
              peer-links.gossip-interval = 200ms
            }
            """), SystemName)!;
        var members = new List<HubMember>();
        for (var i = 0; i < count; i++)
        {
            var system = HubMember.CreateSystem(SystemName, settings, world.MemberConfig("member" + i));
            var seed = i == 0 ? Akka.Cluster.Cluster.Get(system).SelfAddress : members[0].Address;
            members.Add(HubMember.Start(system, settings with { SeedNodes = [seed] }));
        }
        await Task.WhenAll(members.Select(m => m.WhenUp)).WaitAsync(Patience);
        return members;
    }

    /// <summary>
    /// An originator and a sink per member; each originator asks its member about topics/M distinct pre-signed
    /// requests at once. Measured from the first ask written until every sink counted its member's broadcasts.
    /// </summary>
    private static async Task<(double Rate, TimeSpan Elapsed)> RelayAsync(NodeScenarios.World world, IReadOnlyList<ListeningNode> nodes, int topics)
    {
        var identity = nodes[0].Settings.Identity.PublicKey;
        var origins = new List<BenchPeer>();
        var sinks = new List<BenchPeer>();
        try
        {
            foreach (var node in nodes)
            {
                sinks.Add(await BenchPeer.ConnectAsync(node.Listening.EndPoint, identity));
                origins.Add(await BenchPeer.ConnectAsync(node.Listening.EndPoint, identity));
                await world.AwaitPeersAsync(node, 2);
            }
            var share = topics / nodes.Count;
            var warmUp = NodeScenarios.WarmUpTopics / nodes.Count;
            await RoundAsync(world, origins, sinks, identity, warmUp);
            Progress("warm-up relayed");
            var clock = Stopwatch.StartNew();
            await RoundAsync(world, origins, sinks, identity, share, () => clock.Restart());
            var elapsed = clock.Elapsed;
            return (share * nodes.Count / elapsed.TotalSeconds, elapsed);
        }
        finally
        {
            foreach (var peer in origins.Concat(sinks)) await peer.DisposeAsync();
        }
    }

    private static async Task RoundAsync(NodeScenarios.World world, List<BenchPeer> origins, List<BenchPeer> sinks, PublicKey identity, int perMember, Action? start = null)
    {
        var asks = origins.Select(o => o.OriginateAsks(world.SignedRequests(perMember), identity)).ToList();
        var done = sinks.Select(s => s.SinkAsync(perMember)).ToList();
        start?.Invoke();
        await Task.WhenAll(origins.Select((o, i) => o.WriteAsync(asks[i])));
        await Task.WhenAll(done).WaitAsync(TimeSpan.FromMinutes(3)); // a stalled run fails rather than waits
    }

    /// <summary>
    /// Member 1's node sends one AskForFavour at a time to a peer linked to member 1 (local) and, with two or more
    /// members, to a peer linked to member 2 (through the registry: one Akka.Remote hop, then member 2's link).
    /// Alternated, so both see the same background load.
    /// </summary>
    private static async Task<(List<double> Local, List<double>? Cross)> HopLatencyAsync(NodeScenarios.World world, IReadOnlyList<ListeningNode> nodes)
    {
        var identity = nodes[0].Settings.Identity.PublicKey;
        await using var near = await BenchPeer.ConnectAsync(nodes[0].Listening.EndPoint, identity);
        await using var far = nodes.Count > 1 ? await BenchPeer.ConnectAsync(nodes[1].Listening.EndPoint, identity) : null;
        var request = world.SignedRequests(1)[0];
        var waiting = new ConcurrentDictionary<AskId, TaskCompletionSource>();
        void Arrived(AskId id)
        {
            if (waiting.TryRemove(id, out var done)) done.TrySetResult();
        }
        near.Asked = Arrived;
        if (far is not null) far.Asked = Arrived;

        async Task<double> OneAsync(BenchPeer peer, TimeSpan timeout)
        {
            var ask = new AskForFavour(AskId.New(), request);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[ask.AskId] = done;
            var clock = Stopwatch.StartNew();
            nodes[0].Running.Node.Tell(new SendToPeer(peer.Key.PublicKey, ask));
            await done.Task.WaitAsync(timeout);
            return clock.Elapsed.TotalMilliseconds;
        }

        // Until the registry's gossip tells member 1 about the far peer's link, its frames go nowhere: retry the first.
        if (far is not null)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (true)
            {
                try
                {
                    await OneAsync(far, TimeSpan.FromSeconds(1));
                    break;
                }
                catch (TimeoutException) when (DateTime.UtcNow < deadline)
                {
                }
            }
        }
        var local = new List<double>();
        var cross = far is null ? null : new List<double>();
        for (var i = 0; i < LatencyWarmUp + LatencySamples; i++)
        {
            var l = await OneAsync(near, Patience);
            var c = far is null ? 0 : await OneAsync(far, Patience);
            if (i < LatencyWarmUp) continue;
            local.Add(l);
            cross?.Add(c);
        }
        return (local, cross);
    }

    /// <summary>Claims of fresh payload ids from the last member, one at a time (shards fall on every member).</summary>
    private static async Task<List<double>> ClaimLatencyAsync(HubMember member)
    {
        var samples = new List<double>();
        for (var i = 0; i < LatencyWarmUp + ClaimSamples; i++)
        {
            var clock = Stopwatch.StartNew();
            var answer = await member.ClaimAsync(PayloadId.New(), "bench", DateTimeOffset.UtcNow.AddMinutes(1));
            if (answer is not TopicClaimed) throw new InvalidOperationException($"a fresh payload id's claim was not won: {answer}");
            if (i >= LatencyWarmUp) samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        return samples;
    }
}
