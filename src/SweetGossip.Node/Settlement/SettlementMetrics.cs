using SweetGossip.Node.Observation;

namespace SweetGossip.Node.Settlement;

/// <summary>
/// Which journaled changes are money moving, for <see cref="NodeMetrics"/>: an invoice of this node reaching Settled
/// (in: its amount) and a payment of this node reaching Succeeded (out: amount and fee). Counted from the entry before
/// and after a newly journaled event, never on replay, so a payment is counted once however it was learned.
/// </summary>
internal static class SettlementMetrics
{
    public static void Journaled(SettlementEntry? before, SettlementEntry? after)
    {
        if (after?.Invoice is { State: RecordedInvoiceState.Settled } invoice && before?.Invoice?.State != RecordedInvoiceState.Settled)
            NodeMetrics.PaymentFinal(incoming: true, invoice.AmountMsat);
        if (after?.Payment is { State: RecordedPaymentState.Succeeded } payment && before?.Payment?.State != RecordedPaymentState.Succeeded)
            NodeMetrics.PaymentFinal(incoming: false, SaturatingAdd(payment.AmountMsat, payment.FeeMsat));
    }

    private static ulong SaturatingAdd(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;
}
