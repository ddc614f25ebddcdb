using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Tests.Gossip;

public class GossipRulesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

    [Fact]
    public void Seen_payloads_accept_each_id_once_until_it_expires()
    {
        var seen = new SeenPayloads();
        var id = PayloadId.New();
        Assert.True(seen.TryAdd(id, Now.AddMinutes(10)));
        Assert.False(seen.TryAdd(id, Now.AddMinutes(10)));
        Assert.Empty(seen.Expire(Now.AddMinutes(5)));
        Assert.Equal([id], seen.Expire(Now.AddMinutes(11)));
        Assert.True(seen.TryAdd(id, Now.AddMinutes(20)));
    }

    [Fact]
    public void Fanout_never_returns_to_the_source_and_is_reproducible_from_a_seed()
    {
        var peers = Enumerable.Range(0, 20).ToList();
        var first = FanoutSelector.Choose(peers, 7, 5, new Random(1));
        Assert.Equal(first, FanoutSelector.Choose(peers, 7, 5, new Random(1)));
        Assert.Equal(5, first.Distinct().Count());
        Assert.DoesNotContain(7, first);
        Assert.Equal(19, FanoutSelector.Choose(peers, 7, 50, new Random(1)).Count);
    }

    [Fact]
    public void Unthanked_favours_raise_difficulty_and_thanks_lower_it()
    {
        var policy = new DifficultyPolicy(baseBits: 10, maxExtraBits: 4, unthankedPerExtraBit: 2);
        var peer = PrivateKey.Generate().PublicKey;
        Assert.Equal(10, policy.BitsFor(peer));
        for (var i = 0; i < 4; i++) policy.Unthanked(peer);
        Assert.Equal(12, policy.BitsFor(peer));
        for (var i = 0; i < 100; i++) policy.Unthanked(peer);
        Assert.Equal(14, policy.BitsFor(peer));
        Assert.Equal(10, policy.BitsFor(PrivateKey.Generate().PublicKey));
        policy.Thanked(peer);
        Assert.True(policy.BitsFor(peer) <= 14);
    }

    [Fact]
    public void One_forged_frame_outweighs_many_good_deliveries_and_bad_standing_decays()
    {
        var score = new PeerScore(PeerScoreParameters.Default, Now);
        for (var i = 0; i < 30; i++) score.Record(PeerBehaviour.FirstDelivery, Now);
        Assert.False(score.BelowThreshold);
        score.Record(PeerBehaviour.MalformedFrame, Now);
        score.Record(PeerBehaviour.InvalidFrame, Now);
        Assert.True(score.BelowThreshold);

        var chatterbox = new PeerScore(PeerScoreParameters.Default, Now);
        for (var i = 0; i < 50; i++) chatterbox.Record(PeerBehaviour.Duplicate, Now);
        Assert.False(chatterbox.BelowThreshold);
        for (var i = 0; i < 60; i++) chatterbox.Record(PeerBehaviour.Duplicate, Now);
        Assert.True(chatterbox.BelowThreshold);
        chatterbox.Record(PeerBehaviour.FirstDelivery, Now.AddHours(1));
        Assert.False(chatterbox.BelowThreshold);
    }

    [Fact]
    public void The_rate_limiter_allows_a_burst_then_the_refill_rate()
    {
        var limiter = new RateLimiter(perSecond: 2, burst: 3, Now);
        Assert.True(limiter.TryTake(Now) && limiter.TryTake(Now) && limiter.TryTake(Now));
        Assert.False(limiter.TryTake(Now));
        Assert.True(limiter.TryTake(Now.AddSeconds(0.5)));
        Assert.False(limiter.TryTake(Now.AddSeconds(0.5)));
        Assert.True(limiter.TryTake(Now.AddSeconds(10)));
    }

    [Fact]
    public void A_second_offer_of_a_payload_is_normal_but_the_same_peer_offering_it_again_is_not()
    {
        var offers = new PayloadOffers();
        var (a, b) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        var id = PayloadId.New();
        Assert.True(offers.FirstFrom(id, a, Now.AddMinutes(10)));
        Assert.True(offers.FirstFrom(id, b, Now.AddMinutes(10)));
        Assert.False(offers.FirstFrom(id, a, Now.AddMinutes(10)));
        offers.Expire(Now.AddMinutes(11));
        Assert.Equal(0, offers.Count);
        Assert.True(offers.FirstFrom(id, a, Now.AddMinutes(30)));
    }

    [Fact]
    public void Memory_an_attacker_controls_offers_of_fresh_payloads_with_far_expiries_stay_within_capacity()
    {
        var offers = new PayloadOffers(capacity: 100);
        var peer = PrivateKey.Generate().PublicKey;
        for (var i = 0; i < 10_000; i++) offers.FirstFrom(PayloadId.New(), peer, DateTimeOffset.MaxValue);
        Assert.Equal(100, offers.Count);
    }
}
