using SweetGossip.Lightning.Port;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Settlement;

/// <summary>The upstream invoice a middleman may issue for a downstream one, and every refusal by its reason.</summary>
public class RelayPlanTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
    private static readonly RelayPolicy Policy = SettlementSettings.Default.Relay;
    private static readonly LightningNodeId Payee = LightningNodeId.FromPrivateKey(PrivateKey.Generate());

    private static DecodedPaymentRequest Downstream(ulong amount = 10_000, int cltv = 40, TimeSpan? life = null) =>
        new(Payee, Hash32.Random(), amount, "", Now, Now + (life ?? TimeSpan.FromMinutes(30)), cltv);

    private static SettlementRefusal? Refusal(DecodedPaymentRequest downstream, RelayTerms terms)
    {
        RelayPlan.For(downstream, terms, Policy, Now, out var refusal);
        return refusal?.Reason;
    }

    [Fact]
    public void The_upstream_invoice_asks_downstream_plus_fee_holds_longer_and_never_outlives_the_downstream_one()
    {
        var plan = RelayPlan.For(Downstream(cltv: 40, life: TimeSpan.FromMinutes(20)), new RelayTerms(1_000, TimeSpan.FromHours(1)), Policy, Now, out var refusal);
        Assert.Null(refusal);
        Assert.Equal(new RelayPlan(11_000, 80, TimeSpan.FromMinutes(20) - TimeSpan.FromSeconds(1)), plan); // counted from the next second
        Assert.Null(Refusal(Downstream(cltv: 40), new RelayTerms(1, TimeSpan.FromHours(1), 40 + Policy.MinCltvDeltaMargin))); // exactly the margin
    }

    [Theory]
    [InlineData(ulong.MaxValue, 40, 1UL, null, SettlementRefusal.AmountOverflow)]
    [InlineData(0UL, 40, 1UL, null, SettlementRefusal.InvalidInvoice)]
    [InlineData(10_000UL, 40, 1UL, 51, SettlementRefusal.DownstreamHoldNotShorter)]
    [InlineData(10_000UL, 2000, 1UL, null, SettlementRefusal.CltvTooLarge)]
    [InlineData(10_000UL, int.MaxValue, 1UL, null, SettlementRefusal.CltvTooLarge)] // no wrap-around into a small delta
    [InlineData(10_000UL, int.MaxValue - 5, 1UL, int.MaxValue, SettlementRefusal.DownstreamHoldNotShorter)]
    [InlineData(10_000UL, -1, 1UL, null, SettlementRefusal.InvalidInvoice)]
    public void Unsafe_or_impossible_relays_are_refused_by_reason(ulong amount, int cltv, ulong fee, int? upstreamCltv, SettlementRefusal reason) =>
        Assert.Equal(reason, Refusal(Downstream(amount, cltv), new RelayTerms(fee, TimeSpan.FromHours(1), upstreamCltv)));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(500)]
    [InlineData(999)]
    public void The_upstream_invoice_ends_with_the_downstream_one_even_if_it_is_created_in_the_next_second(int millisecondsPastTheSecond)
    {
        // BOLT 11 counts expiry from the whole second an invoice is created in; the call that creates it may cross into the next.
        var now = Now.AddMilliseconds(millisecondsPastTheSecond);
        var downstream = Downstream(life: TimeSpan.FromMinutes(20));
        var plan = RelayPlan.For(downstream, new RelayTerms(1_000, TimeSpan.FromHours(1)), Policy, now, out _)!;
        foreach (var createdAt in new[] { now, UnixTime.Truncate(now).AddSeconds(1).AddMilliseconds(999) })
            Assert.True(UnixTime.Truncate(createdAt) + plan.UpstreamExpiry <= downstream.ExpiresAt, $"created at {createdAt:O} it outlives the downstream invoice");
    }

    [Fact]
    public void A_downstream_invoice_about_to_expire_is_refused() =>
        Assert.Equal(SettlementRefusal.DownstreamExpiresTooSoon, Refusal(Downstream(life: TimeSpan.FromSeconds(5)), new RelayTerms(1, TimeSpan.FromHours(1))));
}
