using SweetGossip.Lightning.Port;

namespace SweetGossip.Lightning.Chain;

/// <summary>
/// The upstream invoice a middleman may safely issue for a downstream one, or the reason it may not:
/// the rules of the payment chain, pure, so every relay (this library's and the node's settlement actor)
/// applies the same ones.
/// </summary>
public sealed record RelayPlan(ulong UpstreamAmountMsat, int UpstreamCltvExpiryDelta, TimeSpan UpstreamExpiry)
{
    /// <exception cref="RelayRefusedException">Relaying would be unsafe or impossible.</exception>
    public static RelayPlan For(DecodedPaymentRequest downstream, RelayTerms terms, PaymentRelayPolicy policy)
    {
        if (downstream.AmountMsat == 0)
        {
            throw new RelayRefusedException(RelayRefusalReason.InvalidDownstreamInvoice, "the downstream invoice has no amount");
        }

        var upstreamAmount = downstream.AmountMsat + terms.FeeMsat;
        if (upstreamAmount < downstream.AmountMsat)
        {
            throw new RelayRefusedException(RelayRefusalReason.AmountOverflow, "downstream amount + fee exceeds 2^64 msat");
        }

        var upstreamDelta = terms.CltvExpiryDelta ?? downstream.CltvExpiryDelta + policy.CltvDeltaIncrement;
        if (upstreamDelta < downstream.CltvExpiryDelta + policy.MinCltvDeltaMargin)
        {
            throw new RelayRefusedException(
                RelayRefusalReason.DownstreamHoldNotShorter,
                $"upstream CLTV delta {upstreamDelta} must exceed the downstream delta {downstream.CltvExpiryDelta} " +
                $"by at least {policy.MinCltvDeltaMargin} blocks, or we could be settled downstream after our upstream HTLC timed out");
        }

        if (upstreamDelta > policy.MaxCltvExpiryDelta)
        {
            throw new RelayRefusedException(
                RelayRefusalReason.CltvTooLarge, $"upstream CLTV delta {upstreamDelta} is above the maximum {policy.MaxCltvExpiryDelta}");
        }

        // The upstream invoice must not be payable after the downstream one stops being payable. Whole
        // seconds, rounded down: invoice times are whole seconds and the node rounds its creation time down.
        var remaining = downstream.ExpiresAt - policy.TimeProvider.GetUtcNow();
        var expiry = terms.InvoiceExpiry < remaining ? terms.InvoiceExpiry : remaining;
        expiry = TimeSpan.FromSeconds(Math.Floor(expiry.TotalSeconds));
        if (expiry < policy.MinUpstreamInvoiceLifetime || expiry <= TimeSpan.Zero)
        {
            throw new RelayRefusedException(
                RelayRefusalReason.DownstreamExpiresTooSoon,
                $"the downstream invoice expires at {downstream.ExpiresAt:O}, leaving {remaining} (< {policy.MinUpstreamInvoiceLifetime})");
        }

        return new RelayPlan(upstreamAmount, upstreamDelta, expiry);
    }
}
