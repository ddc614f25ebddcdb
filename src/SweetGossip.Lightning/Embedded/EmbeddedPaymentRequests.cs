using SweetGossip.Lightning.Bolt11;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Embedded;

/// <summary>
/// The embedded network's payment requests: BOLT 11 invoices on regtest (<c>lnbcrt…</c>) with the fields
/// s (payment secret), p (payment hash), d (memo), n (payee node id), x (expiry), c (min_final_cltv_expiry)
/// and 9 (features: var_onion_optin, payment_secret), in the codec's canonical order.
/// Signed: the payee node's recoverable ECDSA signature, via <see cref="Bolt11Codec.Encode"/>; any BOLT 11
/// reader accepts it. Unsigned: the identical fields followed by an all-zero signature; only the issuing
/// embedded network, which finds its invoices by their exact string, accepts it.
/// </summary>
internal static class EmbeddedPaymentRequests
{
    private static readonly Bolt11Features Features = Bolt11Features.Of(Bolt11Features.VarOnionOptin, Bolt11Features.PaymentSecret);

    public static string Encode(
        bool sign,
        EmbeddedLightningNode node,
        Hash32 paymentHash,
        ulong amountMsat,
        string memo,
        DateTimeOffset createdAt,
        ulong expirySeconds,
        int cltvExpiryDelta,
        ReadOnlySpan<byte> paymentSecret)
    {
        var invoice = new Bolt11Invoice
        {
            Network = LightningNetwork.Regtest,
            AmountMsat = amountMsat,
            Timestamp = createdAt,
            PaymentHash = paymentHash.ToArray(),
            PaymentSecret = paymentSecret.ToArray(),
            Description = memo,
            PayeeNodeId = node.NodeId.ToBytes(),
            ExplicitPayeeNodeId = true,
            ExpirySeconds = expirySeconds,
            MinFinalCltvExpiry = (ulong)cltvExpiryDelta,
            Features = Features,
        };
        return sign ? Bolt11Codec.Encode(invoice, node.SecretKey) : Bolt11Codec.EncodeUnsigned(invoice);
    }

    /// <summary>Decodes and verifies a signed BOLT 11 regtest invoice (one not issued by this network, or not byte-identical).</summary>
    public static bool TryDecode(string request, out DecodedPaymentRequest? decoded, out string? error)
    {
        decoded = null;
        if (!Bolt11Codec.TryDecode(request, out var invoice, out error))
        {
            return false;
        }

        if (invoice!.Network != LightningNetwork.Regtest)
        {
            error = $"the embedded network is regtest (lnbcrt); this invoice is for {invoice.Network}";
            return false;
        }

        if (!LightningNodeId.TryFromBytes(invoice.PayeeNodeId, out var payee))
        {
            error = "invalid payee node id";
            return false;
        }

        decoded = new DecodedPaymentRequest(
            payee,
            Hash32.FromSpan(invoice.PaymentHash),
            invoice.AmountMsat ?? 0,
            invoice.Description ?? string.Empty,
            invoice.Timestamp,
            invoice.ExpiresAt,
            (int)Math.Min(invoice.MinFinalCltvExpiry, int.MaxValue));
        return true;
    }
}
