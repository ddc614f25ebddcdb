using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

/// <summary>
/// What a payer was told to expect of an invoice, checked against the decoded invoice before any money moves.
/// Every field left null is not checked; an invoice with no amount or already expired is always refused.
/// </summary>
/// <param name="ExactAmountMsat">The invoice must ask exactly this (a favour's announced price).</param>
/// <param name="MinAmountMsat">At least this (a relayed reply: not less than the replier's price).</param>
/// <param name="MaxAmountMsat">At most this (the originator's limits).</param>
/// <param name="Payee">The Lightning node the peer announced as its own.</param>
/// <param name="PaymentHash">The hash the invoice must be under (the replier's commitment).</param>
/// <param name="PayableUntil">The invoice must still be payable at least until then (e.g. a favour's validity).</param>
public sealed record PaymentTerms(
    ulong? ExactAmountMsat = null,
    ulong? MinAmountMsat = null,
    ulong? MaxAmountMsat = null,
    LightningNodeId? Payee = null,
    Hash32? PaymentHash = null,
    DateTimeOffset? PayableUntil = null)
{
    public static readonly PaymentTerms Any = new();

    /// <summary>Why this invoice must not be paid under these terms at <paramref name="now"/>, or null.</summary>
    public Refusal? Check(DecodedPaymentRequest invoice, DateTimeOffset now)
    {
        if (invoice.AmountMsat == 0)
            return new Refusal(SettlementRefusal.InvalidInvoice, "the invoice names no amount");
        if (invoice.ExpiresAt <= now)
            return new Refusal(SettlementRefusal.InvoiceExpired, $"the invoice expired at {invoice.ExpiresAt:O}");
        if (PayableUntil is { } until && invoice.ExpiresAt < until)
            return new Refusal(SettlementRefusal.InvoiceExpired, $"the invoice expires at {invoice.ExpiresAt:O}, before {until:O}");
        if (PaymentHash is { } hash && invoice.PaymentHash != hash)
            return new Refusal(SettlementRefusal.PaymentHashMismatch, $"the invoice is under payment hash {invoice.PaymentHash}, not {hash}");
        if (Payee is { } payee && invoice.Payee != payee)
            return new Refusal(SettlementRefusal.PayeeMismatch, $"the invoice pays Lightning node {invoice.Payee}, not the peer's announced {payee}");
        if (ExactAmountMsat is { } exact && invoice.AmountMsat != exact)
            return new Refusal(SettlementRefusal.AmountMismatch, $"the invoice asks {invoice.AmountMsat} msat, the conditions said {exact}");
        if (MinAmountMsat is { } min && invoice.AmountMsat < min)
            return new Refusal(SettlementRefusal.AmountMismatch, $"the invoice asks {invoice.AmountMsat} msat, less than {min}");
        if (MaxAmountMsat is { } max && invoice.AmountMsat > max)
            return new Refusal(SettlementRefusal.AmountAboveLimit, $"the invoice asks {invoice.AmountMsat} msat, more than the {max} msat accepted");
        return null;
    }
}
