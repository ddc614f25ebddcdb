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
}
