using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Peers;

public class LinkOffersTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

    [Fact]
    public void A_payload_offered_twice_on_one_link_is_a_repeat_until_it_expires()
    {
        var offers = new LinkOffers();
        var payload = PayloadId.New();
        Assert.True(offers.First(payload, Now.AddMinutes(20), Now));
        Assert.False(offers.First(payload, Now.AddMinutes(20), Now.AddMinutes(1)));
        Assert.True(offers.First(payload, Now.AddMinutes(40), Now.AddMinutes(21))); // expired, forgotten: a new offer
    }

    [Fact]
    public void Past_the_capacity_the_oldest_offers_are_forgotten_first()
    {
        var offers = new LinkOffers(capacity: 3);
        var payloads = Enumerable.Range(0, 4).Select(_ => PayloadId.New()).ToList();
        foreach (var p in payloads) Assert.True(offers.First(p, Now.AddHours(1), Now));
        Assert.Equal(3, offers.Count);
        Assert.True(offers.First(payloads[0], Now.AddHours(1), Now)); // the oldest went
        Assert.False(offers.First(payloads[3], Now.AddHours(1), Now));
    }

    [Fact]
    public void Many_live_offers_are_told_apart_as_well_as_a_few()
    {
        var offers = new LinkOffers(capacity: 100);
        var payloads = Enumerable.Range(0, 60).Select(_ => PayloadId.New()).ToList();
        for (var i = 0; i < payloads.Count; i++) Assert.True(offers.First(payloads[i], Now.AddMinutes(10 + i), Now));
        Assert.All(payloads, p => Assert.False(offers.First(p, Now.AddHours(1), Now)));
        Assert.Equal(60, offers.Count);
        // The first 30 expired: they are new again, the others still repeats.
        var later = Now.AddMinutes(10 + 30);
        Assert.All(payloads.Take(30), p => Assert.True(offers.First(p, later.AddHours(1), later)));
        Assert.All(payloads.Skip(30), p => Assert.False(offers.First(p, later.AddHours(1), later)));
        Assert.Equal(60, offers.Count);
    }
}
