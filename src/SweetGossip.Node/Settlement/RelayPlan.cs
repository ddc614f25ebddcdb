using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

/// <summary>
/// The upstream invoice a middleman may safely issue for a downstream one, or why it may not (D15): the
/// upstream amount is downstream + fee (no wrap-around), its CLTV delta exceeds downstream's by the margin
/// and stays under the maximum, and it is payable no longer than the downstream invoice.
/// </summary>
public sealed record RelayPlan(ulong UpstreamAmountMsat, int UpstreamCltvExpiryDelta, TimeSpan UpstreamExpiry)
{
    public static RelayPlan? For(DecodedPaymentRequest downstream, RelayTerms terms, RelayPolicy policy, DateTimeOffset now, out Refusal? refusal)
    {
        refusal = Check(downstream, terms, policy, now, out var plan);
        return plan;
    }

    private static Refusal? Check(DecodedPaymentRequest downstream, RelayTerms terms, RelayPolicy policy, DateTimeOffset now, out RelayPlan? plan)
    {
        plan = null;
        if (downstream.AmountMsat == 0)
            return new Refusal(SettlementRefusal.InvalidInvoice, "the downstream invoice has no amount");
        if (ulong.MaxValue - downstream.AmountMsat < terms.FeeMsat)
            return new Refusal(SettlementRefusal.AmountOverflow, $"downstream amount {downstream.AmountMsat} + fee {terms.FeeMsat} exceeds 2^64 msat");
        if (downstream.CltvExpiryDelta < 0)
            return new Refusal(SettlementRefusal.InvalidInvoice, $"the downstream CLTV delta {downstream.CltvExpiryDelta} is negative");

        // In 64 bits: a delta near int.MaxValue must be refused, not wrapped into a small one.
        long upstreamDelta = terms.CltvExpiryDelta ?? (long)downstream.CltvExpiryDelta + policy.CltvDeltaIncrement;
        if (upstreamDelta < (long)downstream.CltvExpiryDelta + policy.MinCltvDeltaMargin)
            return new Refusal(SettlementRefusal.DownstreamHoldNotShorter,
                $"upstream CLTV delta {upstreamDelta} must exceed the downstream delta {downstream.CltvExpiryDelta} by at least {policy.MinCltvDeltaMargin} blocks, " +
                "or we could be settled downstream after our upstream HTLC timed out");
        if (upstreamDelta > policy.MaxCltvExpiryDelta)
            return new Refusal(SettlementRefusal.CltvTooLarge, $"upstream CLTV delta {upstreamDelta} is above the maximum {policy.MaxCltvExpiryDelta}");

        // Whole seconds, rounded down: invoice times are whole seconds. The upstream invoice's expiry counts from the second
        // it is created in, which is the next one if the Lightning call crosses a second boundary: counted from there, it
        // still ends with the downstream one (a call of more than a second would need the next, and is refunded anyway
        // when the downstream invoice can no longer be paid).
        var remaining = downstream.ExpiresAt - (UnixTime.Truncate(now) + TimeSpan.FromSeconds(1));
        var expiry = terms.InvoiceExpiry < remaining ? terms.InvoiceExpiry : remaining;
        expiry = TimeSpan.FromSeconds(Math.Floor(expiry.TotalSeconds));
        if (expiry < policy.MinUpstreamInvoiceLifetime || expiry <= TimeSpan.Zero)
            return new Refusal(SettlementRefusal.DownstreamExpiresTooSoon,
                $"the downstream invoice expires at {downstream.ExpiresAt:O}, leaving {remaining} (< {policy.MinUpstreamInvoiceLifetime})");

        plan = new RelayPlan(downstream.AmountMsat + terms.FeeMsat, (int)upstreamDelta, expiry);
        return null;
    }
}
