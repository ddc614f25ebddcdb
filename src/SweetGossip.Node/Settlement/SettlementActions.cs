using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

/// <summary>What <see cref="SettlementLedger.Due"/> says must be done next for one payment hash. The actor carries it out.</summary>
public abstract record SettlementAction(Hash32 PaymentHash);

/// <summary>Settle our accepted invoice: with our own secret, or a relay's upstream with the preimage its downstream payment returned.</summary>
public sealed record SettleDue(Hash32 PaymentHash, Hash32 Preimage) : SettlementAction(PaymentHash);

/// <summary>Cancel our invoice (refunding a held payment): expired, held too long, a relay's downstream failed or it is too late to pay it.</summary>
public sealed record CancelDue(Hash32 PaymentHash, string Reason) : SettlementAction(PaymentHash);

/// <summary>A relay's upstream HTLC is locked and the deadline rule allows it: pay downstream.</summary>
public sealed record PayDownstreamDue(Hash32 PaymentHash, string PaymentRequest, ulong AmountMsat) : SettlementAction(PaymentHash);

/// <summary>A payment is in flight and nobody is waiting on it: ask the Lightning node how it ends.</summary>
public sealed record TrackPaymentDue(Hash32 PaymentHash) : SettlementAction(PaymentHash);

/// <summary>A secret was registered but its invoice never recorded (a crash or a lost answer in between): ask whether it exists.</summary>
public sealed record LookupInvoiceDue(Hash32 PaymentHash) : SettlementAction(PaymentHash);

/// <summary>A bought reply is paid: open it and deliver it.</summary>
public sealed record DeliverReplyDue(Hash32 PaymentHash, ReplyPurchase Purchase, Hash32 Preimage) : SettlementAction(PaymentHash);
