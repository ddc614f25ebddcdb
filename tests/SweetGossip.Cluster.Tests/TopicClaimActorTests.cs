using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.TestKit.Xunit2;
using SweetGossip.Cluster.Claims;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Tests;

/// <summary>One payload's claim entity on its own (no cluster): first claim wins, held for a bounded time, then forgotten.</summary>
public sealed class TopicClaimActorTests : TestKit
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private readonly PayloadId _payload = PayloadId.New();

    private static TopicOwner Owner(string link) => new(Address.Parse("akka.tcp://hub@10.0.0.1:4053"), link);

    private IActorRef Entity(TimeSpan min, TimeSpan max) =>
        ChildActorOf(TopicClaimActor.Props(new TopicClaimRetention(min, max, _clock)));

    private TopicClaimAnswer Claim(IActorRef entity, string link, DateTimeOffset expiresAt)
    {
        entity.Tell(new ClaimTopic(_payload, Owner(link), expiresAt));
        return ExpectMsg<TopicClaimAnswer>(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_claim_is_forgotten_once_its_topic_expires()
    {
        var entity = Entity(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));
        Assert.IsType<TopicClaimed>(Claim(entity, "a", Start.AddMinutes(2)));
        Assert.Equal(Owner("a"), Assert.IsType<AlreadyClaimed>(Claim(entity, "b", Start.AddMinutes(2))).Owner);
        _clock.Now = Start.AddMinutes(2).AddSeconds(1);
        Assert.Equal(Owner("b"), Assert.IsType<TopicClaimed>(Claim(entity, "b", Start.AddMinutes(5))).Owner);
    }

    [Fact]
    public void A_far_future_expiry_is_held_no_longer_than_the_maximum_retention()
    {
        // A caller passing an expiry years ahead must not pin the claim (one actor) in memory for years.
        var entity = Entity(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));
        var granted = Assert.IsType<TopicClaimed>(Claim(entity, "a", Start.AddYears(5)));
        Assert.Equal(Start.AddMinutes(10), granted.ExpiresAt);
        _clock.Now = Start.AddMinutes(10);
        Assert.IsType<TopicClaimed>(Claim(entity, "b", Start.AddMinutes(15)));
    }

    [Fact]
    public void A_claim_whose_topic_is_about_to_expire_still_holds_for_the_minimum_retention()
    {
        var entity = Entity(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));
        Assert.IsType<TopicClaimed>(Claim(entity, "a", Start.AddSeconds(1)));
        _clock.Now = Start.AddSeconds(10);
        Assert.Equal(Owner("a"), Assert.IsType<AlreadyClaimed>(Claim(entity, "b", Start.AddSeconds(20))).Owner);
    }

    [Fact]
    public void The_owner_retrying_its_claim_keeps_its_grant()
    {
        var entity = Entity(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));
        Assert.IsType<TopicClaimed>(Claim(entity, "a", Start.AddMinutes(2)));
        Assert.IsType<TopicClaimed>(Claim(entity, "a", Start.AddMinutes(2)));
    }

    [Fact]
    public void The_entity_asks_its_shard_to_passivate_it_when_the_claim_is_over()
    {
        var clock = TimeProvider.System;
        var entity = ChildActorOf(TopicClaimActor.Props(new TopicClaimRetention(TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1), clock)));
        entity.Tell(new ClaimTopic(_payload, Owner("a"), clock.GetUtcNow()));
        ExpectMsg<TopicClaimed>(TimeSpan.FromSeconds(30));
        ExpectMsg<Passivate>(TimeSpan.FromSeconds(30));
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
