using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

/// <summary>What the settlement actor journals. Replaying them rebuilds its <see cref="SettlementLedger"/>.</summary>
public abstract record SettlementEvent(Hash32 PaymentHash);

public sealed record InvoiceIssuedEvent(Hash32 PaymentHash, ulong AmountMsat, string PaymentRequest, DateTimeOffset ExpiresAt) : SettlementEvent(PaymentHash);

public sealed record InvoiceAcceptedEvent(Hash32 PaymentHash, DateTimeOffset? HtlcExpiresAt) : SettlementEvent(PaymentHash);

public sealed record InvoiceSettledEvent(Hash32 PaymentHash, Hash32 Preimage) : SettlementEvent(PaymentHash);

public sealed record InvoiceCancelledEvent(Hash32 PaymentHash, string Reason) : SettlementEvent(PaymentHash);

public sealed record PaymentStartedEvent(Hash32 PaymentHash, string PaymentRequest, ulong AmountMsat) : SettlementEvent(PaymentHash);

public sealed record PaymentSucceededEvent(Hash32 PaymentHash, Hash32 Preimage, ulong FeeMsat) : SettlementEvent(PaymentHash);

public sealed record PaymentFailedEvent(Hash32 PaymentHash, string Reason) : SettlementEvent(PaymentHash);

/// <summary>This node relays the payment for <see cref="SettlementEvent.PaymentHash"/>: upstream invoice and downstream request share it.</summary>
public sealed record RelayRegisteredEvent(Hash32 PaymentHash, string DownstreamPaymentRequest, ulong DownstreamAmountMsat, ulong FeeMsat) : SettlementEvent(PaymentHash);
