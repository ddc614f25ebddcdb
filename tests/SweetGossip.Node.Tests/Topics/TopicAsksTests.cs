using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Topics;

/// <summary>The asking half of a topic without actors: favours within what the topic earned, replacements, timeouts.</summary>
public class TopicAsksTests
{
    private static readonly DateTimeOffset Now = UnixTime.Truncate(DateTimeOffset.UtcNow);

    private static TopicAsks Asks(SpendAllowance allowance, int fanout = 3, int maxAsks = 6) =>
        new(fanout, maxAsks, TimeSpan.FromSeconds(10), maxAcceptedBits: 24, maxFavourPriceMsat: 10_000, allowance);

    private static PowFavourConditions Pow(AskId ask, int bits) => new(ask, FavourId.New(), Now.AddMinutes(2), PowSchemes.Sha256, bits);

    private static (PublicKey Peer, AskId Ask) Send(TopicAsks asks)
    {
        var peer = PrivateKey.Generate().PublicKey;
        var ask = AskId.New();
        asks.Sent(peer, ask, Now);
        return (peer, ask);
    }

    [Fact]
    public void Relaying_is_a_pump_a_relay_spends_at_most_its_multiple_of_what_its_source_proved()
    {
        // Upstream proved 2^12; the relay may spend 4 × 2^12 hashes on this topic's favours, not fanout × 2^24.
        var asks = Asks(SpendAllowance.For(new TopicEarnings(PowVerifier.ExpectedHashes(12), 0), multiple: 4));
        var (dear, dearAsk) = Send(asks);
        Assert.IsType<AskDecision.Decline>(asks.OnConditions(dear, Pow(dearAsk, 24), Now));
        var solved = 0;
        for (var i = 0; i < 5; i++)
        {
            var (peer, ask) = Send(asks);
            if (asks.OnConditions(peer, Pow(ask, 12), Now) is AskDecision.SolvePow) solved++;
        }
        Assert.Equal(4, solved);
        Assert.Equal(0, asks.Allowance.HashesLeft);
    }

    [Fact]
    public void Relaying_is_a_pump_sats_are_spent_only_within_what_was_paid_and_never_bought_with_a_proof()
    {
        var paid = Asks(SpendAllowance.For(new TopicEarnings(0, 1_000), multiple: 4));
        var (peer, ask) = Send(paid);
        Assert.IsType<AskDecision.Pay>(paid.OnConditions(peer, new LightningFavourConditions(ask, FavourId.New(), Now.AddMinutes(2), 4_000, "lnbcrt-x"), Now));
        var (second, secondAsk) = Send(paid);
        Assert.IsType<AskDecision.Decline>(paid.OnConditions(second, new LightningFavourConditions(secondAsk, FavourId.New(), Now.AddMinutes(2), 1, "lnbcrt-y"), Now));

        var proved = Asks(SpendAllowance.For(new TopicEarnings(PowVerifier.ExpectedHashes(12), 0), multiple: 4));
        (peer, ask) = Send(proved);
        Assert.IsType<AskDecision.Decline>(proved.OnConditions(peer, new LightningFavourConditions(ask, FavourId.New(), Now.AddMinutes(2), 1, "lnbcrt-z"), Now));
    }

    [Fact]
    public void Too_hard_conditions_stop_the_topic_no_more_a_declined_ask_is_replaced_within_the_ask_budget()
    {
        var asks = Asks(SpendAllowance.Unlimited(), fanout: 2, maxAsks: 3);
        Assert.Equal(2, asks.Wanted);
        var (a, askA) = Send(asks);
        var (b, askB) = Send(asks);
        Assert.Equal(0, asks.Wanted);
        Assert.IsType<AskDecision.Decline>(asks.OnConditions(a, Pow(askA, 30), Now)); // above max-accepted
        Assert.Equal(1, asks.Wanted);
        Assert.IsType<AskDecision.SolvePow>(asks.OnConditions(b, Pow(askB, 8), Now));
        var (c, askC) = Send(asks);
        Assert.IsType<AskDecision.Decline>(asks.OnConditions(c, Pow(askC, 30), Now));
        Assert.Equal(0, asks.Wanted); // three asks sent: the budget is spent
        Assert.Equal(new HashSet<PublicKey> { a, b, c }, asks.AskedPeers.ToHashSet());
    }

    [Fact]
    public void Asks_time_out_a_silent_ask_is_forgotten_and_not_replaced()
    {
        var asks = Asks(SpendAllowance.Unlimited(), fanout: 2);
        var (a, askA) = Send(asks);
        Send(asks);
        Assert.Equal(Now.AddSeconds(10), asks.NextDeadline());
        Assert.Empty(asks.TimeOut(Now.AddSeconds(9)));
        Assert.Equal(2, asks.TimeOut(Now.AddSeconds(10)).Count);
        Assert.Null(asks.NextDeadline());
        Assert.Equal(0, asks.Wanted); // silence means the peer has the topic: no one else is asked in its place
        // A slow peer's late answer is still taken (its slot was kept), once.
        Assert.IsType<AskDecision.SolvePow>(asks.OnConditions(a, Pow(askA, 8), Now.AddSeconds(11)));
        Assert.IsType<AskDecision.Unasked>(asks.OnConditions(a, Pow(askA, 8), Now.AddSeconds(12)));
    }

    [Fact]
    public void Conditions_for_an_ask_this_topic_did_not_send_that_peer_are_unasked()
    {
        var asks = Asks(SpendAllowance.Unlimited());
        var (a, askA) = Send(asks);
        Assert.IsType<AskDecision.Unasked>(asks.OnConditions(PrivateKey.Generate().PublicKey, Pow(askA, 8), Now)); // another peer's ask id
        Assert.IsType<AskDecision.Unasked>(asks.OnConditions(a, Pow(AskId.New(), 8), Now));
        Assert.IsType<AskDecision.SolvePow>(asks.OnConditions(a, Pow(askA, 8), Now));
        Assert.IsType<AskDecision.Unasked>(asks.OnConditions(a, Pow(askA, 8), Now)); // answered twice
    }

    [Fact]
    public void A_failed_favour_refunds_what_it_reserved_and_is_replaced()
    {
        var asks = Asks(SpendAllowance.For(new TopicEarnings(256, 0), multiple: 1), fanout: 1);
        var (a, askA) = Send(asks);
        var solve = Assert.IsType<AskDecision.SolvePow>(asks.OnConditions(a, Pow(askA, 8), Now));
        Assert.Equal(0, asks.Allowance.HashesLeft);
        asks.Failed(a, refundHashes: solve.ExpectedHashes);
        Assert.Equal(256, asks.Allowance.HashesLeft);
        Assert.Equal(1, asks.Wanted);
    }
}
