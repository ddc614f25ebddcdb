using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using SweetGossip.Cluster.Claims;
using SweetGossip.Cluster.Peers;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Tests;

/// <summary>The hub-wide claim on a payload, on a real 3-member cluster over loopback.</summary>
public sealed class TopicShardTests
{
    private static readonly DateTimeOffset Later = DateTimeOffset.UtcNow.AddMinutes(10);

    [Fact]
    public async Task Two_members_claiming_one_payload_at_the_same_moment_get_exactly_one_grant()
    {
        await using var hub = await TestHub.StartAsync(3);
        var payloads = Enumerable.Range(0, 24).Select(_ => PayloadId.New()).ToList();

        // Both claims of a payload are in flight together, from two members, for every payload.
        var races = payloads.Select(async payload =>
        {
            var answers = await Task.WhenAll(
                hub[0].ClaimAsync(payload, "link-on-0", Later),
                hub[1].ClaimAsync(payload, "link-on-1", Later));
            return (payload, answers);
        });
        foreach (var (payload, answers) in await Task.WhenAll(races))
        {
            var granted = Assert.Single(answers.OfType<TopicClaimed>());
            var refused = Assert.Single(answers.OfType<AlreadyClaimed>());
            Assert.Equal(payload, granted.PayloadId);
            Assert.Equal(granted.Owner, refused.Owner);
            Assert.Contains(granted.Owner.Member, new[] { hub[0].Address, hub[1].Address });

            // A third member learns the same owner; the owner's own retry keeps its grant.
            var late = await hub[2].ClaimAsync(payload, "link-on-2", Later);
            Assert.Equal(granted.Owner, Assert.IsType<AlreadyClaimed>(late).Owner);
            var owner = granted.Owner.Member == hub[0].Address ? hub[0] : hub[1];
            Assert.IsType<TopicClaimed>(await owner.ClaimAsync(payload, granted.Owner.LinkId, Later));
        }
    }

    [Fact]
    public async Task Claims_on_shards_of_a_member_that_leaves_gracefully_move_with_the_shards()
    {
        await using var hub = await TestHub.StartAsync(3);
        var leaving = hub[2];
        // Every region registered with the coordinator, so shards spread over all three members.
        await TestHub.Probe(hub[0]).AwaitAssertAsync(async () =>
        {
            var stats = await hub[0].TopicClaims.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(15));
            Assert.Equal(3, stats.Regions.Count);
        }, TestHub.Patience, TimeSpan.FromMilliseconds(500));

        var payloads = Enumerable.Range(0, 36).Select(_ => PayloadId.New()).ToList();
        var owners = new Dictionary<PayloadId, TopicOwner>();
        for (var i = 0; i < payloads.Count; i++)
        {
            var claimant = hub[i % 2];
            var answer = Assert.IsType<TopicClaimed>(await claimant.ClaimAsync(payloads[i], $"link-{i}", Later));
            owners[payloads[i]] = answer.Owner;
        }

        var state = await leaving.TopicClaims.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(30));
        var moving = state.Shards.SelectMany(s => s.EntityIds).ToHashSet();
        Assert.NotEmpty(moving);

        await leaving.LeaveAsync().WaitAsync(TestHub.Patience);
        await leaving.System.WhenTerminated.WaitAsync(TestHub.Patience);
        await TestHub.AwaitMembersUp(hub[0], 2);

        // Every payload still answers, with its first owner: the claims on the departed member's shards came along.
        foreach (var payload in payloads)
        {
            var answer = await hub[0].ClaimAsync(payload, "link-after-leave", Later);
            Assert.Equal(owners[payload], Assert.IsType<AlreadyClaimed>(answer).Owner);
        }
        var hosted = await hub[0].TopicClaims.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(15));
        Assert.Equal(2, hosted.Regions.Count);
    }

    /// <summary>
    /// A claim that came over in a shard hand-over knows its owner's member but not its node, and an answer for it used to
    /// come back unplaced (then published to every member). It now goes to the owner member's own topic, which that
    /// member's node subscribes to.
    /// </summary>
    [Fact]
    public async Task An_answer_for_a_claim_restored_after_a_hand_over_goes_to_the_owner_members_own_topic()
    {
        await using var hub = await TestHub.StartAsync(1);
        var member = hub[0];
        var (ownerTopic, sender) = (TestHub.Probe(member), TestHub.Probe(member));
        DistributedPubSub.Get(member.System).Mediator.Tell(new Subscribe(MemberTopic.Of(member.Address), ownerTopic.Ref), ownerTopic.Ref);
        ownerTopic.ExpectMsg<SubscribeAck>(TestHub.Patience);

        var payload = PayloadId.New();
        member.TopicClaims.Tell(new RestoreClaim(payload, new TopicOwner(member.Address, "link-a"), Later));
        var answer = new FrameViaMember(PrivateKey.Generate().PublicKey, new ThankYou(payload, Hash32.Random()), null);
        member.TopicClaims.Tell(new PlaceAnswer(payload, answer), sender.Ref);

        Assert.Equal(answer.Frame, ownerTopic.ExpectMsg<FrameViaMember>(TestHub.Patience).Frame);
        sender.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // not handed back unplaced
    }

    [Fact]
    public async Task A_claim_queued_behind_an_answer_for_an_unclaimed_payload_is_kept()
    {
        // A hostile peer's AlreadyHave(P) then Broadcast(P): the answer starts P's entity with nothing claimed, which
        // passivates, while the member's claim of P is already in its mailbox. The claim must outlive that entity.
        await using var hub = await TestHub.StartAsync(1);
        var member = hub[0];
        var probe = TestHub.Probe(member);
        var payload = PayloadId.New();
        var answer = new FrameViaMember(PrivateKey.Generate().PublicKey, new ThankYou(payload, Hash32.Random()), null);
        var first = new TopicOwner(member.Address, "link-a");

        member.TopicClaims.Tell(new PlaceAnswer(payload, answer), probe.Ref);
        member.TopicClaims.Tell(new ClaimTopic(payload, first, Later), probe.Ref);
        Assert.False(probe.ExpectMsg<AnswerNotPlaced>(TestHub.Patience).Claimed);
        Assert.Equal(first, probe.ExpectMsg<TopicClaimed>(TestHub.Patience).Owner);

        member.TopicClaims.Tell(new ClaimTopic(payload, new TopicOwner(member.Address, "link-b"), Later), probe.Ref);
        Assert.Equal(first, probe.ExpectMsg<AlreadyClaimed>(TestHub.Patience).Owner);
    }
}
