using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Port;

/// <summary>The terms of a payment request, as LND's DecodePayReq returns them.</summary>
public sealed record DecodedPaymentRequest(
    LightningNodeId Payee,
    Hash32 PaymentHash,
    ulong AmountMsat,
    string Memo,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int CltvExpiryDelta);
