using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Chain;

/// <summary>
/// The originator's end of a reply payment chain: pays the invoice its neighbour attached to the reply,
/// after checking it against what the replier committed to in the sealed header.
/// </summary>
public static class OriginatorPayment
{
    /// <summary>
    /// Pays the top invoice of a reply if it is under the payment hash the replier signed
    /// (<paramref name="committedPaymentHash"/>) and costs at most <paramref name="maxAmountMsat"/>
    /// (the replier's price + the path fees announced in the broadcast). Otherwise nothing is paid and the
    /// result is Failed with <see cref="PaymentFailureReason.InvalidInvoice"/>. On success the preimage is
    /// checked against the hash and opens the reply's body.
    /// </summary>
    public static async Task<PaymentResult> PayReplyAsync(
        ILightningNode node,
        string topInvoice,
        Hash32 committedPaymentHash,
        ulong maxAmountMsat,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(topInvoice);

        DecodedPaymentRequest invoice;
        try
        {
            invoice = await node.DecodePaymentRequestAsync(topInvoice, ct).ConfigureAwait(false);
        }
        catch (LightningException e)
        {
            return PaymentResult.Failure(committedPaymentHash, 0, PaymentFailureReason.InvalidInvoice, e.Message);
        }

        if (invoice.PaymentHash != committedPaymentHash)
        {
            return PaymentResult.Failure(
                invoice.PaymentHash, invoice.AmountMsat, PaymentFailureReason.InvalidInvoice,
                $"the invoice's payment hash {invoice.PaymentHash} is not the one the replier committed to ({committedPaymentHash})");
        }

        if (invoice.AmountMsat > maxAmountMsat)
        {
            return PaymentResult.Failure(
                invoice.PaymentHash, invoice.AmountMsat, PaymentFailureReason.InvalidInvoice,
                $"the invoice asks {invoice.AmountMsat} msat, more than the {maxAmountMsat} msat accepted");
        }

        var result = await node.PayAsync(topInvoice, ct).ConfigureAwait(false);
        if (result.Succeeded && result.Preimage.Value.Sha256() != committedPaymentHash)
        {
            throw new InvalidOperationException("the node reported success with a preimage that does not match the payment hash");
        }

        return result;
    }
}
