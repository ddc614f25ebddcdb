using System.Security.Cryptography;
using Akka.Actor;
using Akka.Routing;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Hub;
using SweetGossip.Node.Pow;
using SweetGossip.Protocol.Pow;

namespace SweetGossip.Cluster.Tests;

/// <summary>
/// Issue 12's "PoW workers as a cluster-aware router pool across members": a member's node asks for proofs the way it
/// asks its local pool (<see cref="SolvePow"/>), and the hub's cluster router pool solves them on every member's routees,
/// over Akka.Remote through the allow-listed serializer. Two members on loopback, the node's own PoW dispatcher.
/// Runs alone: its proof searches keep a core busy, which would slow another class's cluster heartbeats.
/// </summary>
[Collection(RunsAlone.Name)]
public class HubPowPoolTests
{
    private static readonly TimeSpan Patience = TestHub.Patience;

    [Fact]
    public async Task Proofs_requested_on_one_member_are_solved_by_routees_on_both_members_and_verify()
    {
        await using var hub = await TestHub.StartAsync(2, _ => NodeConfig.Reference);
        var queue = new PowQueue(64);
        var pow = hub[0].System.ActorOf(HubRole.Of(hub[0]).PowPool!(queue, TimeProvider.System), "pow");
        await AwaitRouteesOn(hub, pow, hub[0].Address, hub[1].Address);

        var probe = TestHub.Probe(hub[0]);
        var challenges = Enumerable.Range(0, 24).Select(_ => RandomNumberGenerator.GetBytes(32)).ToArray();
        const int difficulty = 12;
        for (var i = 0; i < challenges.Length; i++)
        {
            Assert.True(queue.TryEnter());
            pow.Tell(new SolvePow(challenges[i], difficulty, i) { Until = DateTimeOffset.UtcNow + Patience }, probe.Ref);
        }
        for (var n = 0; n < challenges.Length; n++)
        {
            var solved = probe.ExpectMsg<PowSolved>(Patience);
            Assert.True(PowVerifier.Satisfies(challenges[(int)solved.Correlation], solved.Nonce, difficulty));
        }
        Assert.Equal(0, queue.Count);

        pow.Tell(GetPowSolvers.Instance, probe.Ref);
        var solvers = probe.ExpectMsg<PowSolvers>(Patience).SolvedBy;
        Assert.Equal(challenges.Length, solvers.Values.Sum());
        Assert.True(solvers.GetValueOrDefault(hub[0].Address.ToString()) > 0, $"member 1 solved none: {Describe(solvers)}");
        Assert.True(solvers.GetValueOrDefault(hub[1].Address.ToString()) > 0, $"member 2 solved none: {Describe(solvers)}");
    }

    [Fact]
    public async Task A_topic_that_ends_gets_its_abandoned_answer_and_its_queue_place_back_although_a_member_still_searches()
    {
        await using var hub = await TestHub.StartAsync(1, _ => NodeConfig.Reference);
        var queue = new PowQueue(4);
        var pow = hub[0].System.ActorOf(HubRole.Of(hub[0]).PowPool!(queue, TimeProvider.System), "pow");
        var probe = TestHub.Probe(hub[0]);
        using var topic = new CancellationTokenSource();

        Assert.True(queue.TryEnter());
        // 2^48 hashes: not found in this test's life; the routee stops at the deadline (a few seconds), not at the cancel.
        pow.Tell(new SolvePow(RandomNumberGenerator.GetBytes(32), 48, "job") { Cancel = topic.Token, Until = DateTimeOffset.UtcNow.AddSeconds(3) }, probe.Ref);
        await topic.CancelAsync();

        var abandoned = probe.ExpectMsg<PowAbandoned>(Patience);
        Assert.Equal("job", abandoned.Correlation);
        Assert.Contains("cancelled", abandoned.Reason);
        Assert.Equal(0, queue.Count);
    }

    /// <summary>Until the pool's router has deployed routees on every one of <paramref name="members"/>.</summary>
    private static Task AwaitRouteesOn(TestHub hub, IActorRef pow, params Address[] members)
    {
        var router = hub[0].System.ActorSelection(pow.Path / "workers");
        return TestHub.Probe(hub[0]).AwaitAssertAsync(async () =>
        {
            // The router is created by its front after ActorOf returns: an early ask finds nothing and is asked again.
            var routees = await router.Ask<Routees>(GetRoutees.Instance, TimeSpan.FromSeconds(5));
            var hosts = routees.Members.OfType<ActorRefRoutee>().Select(r => r.Actor.Path.Address).Select(a => a.HasLocalScope ? hub[0].Address : a).ToHashSet();
            foreach (var member in members) Assert.Contains(member, hosts);
        }, Patience, TimeSpan.FromMilliseconds(200));
    }

    private static string Describe(IReadOnlyDictionary<string, long> solvers) => string.Join(", ", solvers.Select(s => $"{s.Key}={s.Value}"));
}
