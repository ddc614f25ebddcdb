using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Port;

/// <summary>What AddHoldInvoice returns: the payment request to hand to the payer, and its terms.</summary>
/// <param name="PaymentRequest">The BOLT 11 string.</param>
/// <param name="PaymentHash">The hash the invoice is held under; only the preimage's owner can settle.</param>
/// <param name="AmountMsat">Exact amount the payer must pay.</param>
/// <param name="CreatedAt">Invoice timestamp (whole seconds, as BOLT 11 carries it).</param>
/// <param name="ExpiresAt">The invoice can be paid strictly before this time.</param>
/// <param name="CltvExpiryDelta">min_final_cltv_expiry_delta (blocks): how long an accepted HTLC may be held.</param>
/// <param name="Payee">The issuing node.</param>
public sealed record HoldInvoice(
    string PaymentRequest,
    Hash32 PaymentHash,
    ulong AmountMsat,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int CltvExpiryDelta,
    LightningNodeId Payee);
