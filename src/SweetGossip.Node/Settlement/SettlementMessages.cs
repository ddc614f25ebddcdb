using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

// Commands to the settlement actor, and its answers. Immutable; the actor answers every command.

/// <summary>Issue a hold invoice under a payment hash (ours, or a relayed one).</summary>
public sealed record IssueInvoice(Hash32 PaymentHash, ulong AmountMsat, string Memo, TimeSpan Expiry, int CltvExpiryDelta);

/// <summary>Pay a payment request; answered with <see cref="PaymentCompleted"/> once final.</summary>
public sealed record PayInvoice(string PaymentRequest);

/// <summary>Read a payment request's terms through this node's Lightning node (answered with <see cref="DecodedPaymentRequest"/>).</summary>
public sealed record DecodeInvoice(string PaymentRequest);

/// <summary>Settle one of our Accepted invoices with its preimage.</summary>
public sealed record SettleInvoice(Hash32 Preimage);

/// <summary>Settle the invoice under SHA-256(<paramref name="Preimage"/>) as soon as it is accepted (a plain payment, e.g. a favour's price).</summary>
public sealed record SettleWhenAccepted(Hash32 Preimage);

/// <summary>Cancel one of our Open or Accepted invoices.</summary>
public sealed record CancelInvoice(Hash32 PaymentHash);

/// <summary>
/// Middleman's part of a reply's payment chain: issue an upstream invoice under the downstream invoice's
/// hash for its amount + the terms' fee (deadlines per <see cref="SweetGossip.Lightning.Chain.RelayPlan"/>);
/// pay downstream only once upstream is Accepted; settle upstream with the preimage that payment returns;
/// cancel upstream if it fails.
/// </summary>
public sealed record RelayPayment(string DownstreamPaymentRequest, SweetGossip.Lightning.Chain.RelayTerms Terms);

/// <summary>Check every open hold against the clock now (also sent by the actor's own timer).</summary>
public sealed record SweepExpiredHolds
{
    public static readonly SweepExpiredHolds Instance = new();
}

/// <summary>Ask for the actor's current view (answered with <see cref="SettlementLedger"/>).</summary>
public sealed record GetSettlementLedger
{
    public static readonly GetSettlementLedger Instance = new();
}

/// <summary>Receive <see cref="PreimageLearned"/> and <see cref="InvoiceChanged"/> notifications.</summary>
public sealed record SubscribeSettlement(Akka.Actor.IActorRef Subscriber);

public sealed record InvoiceIssued(HoldInvoice Invoice);

public sealed record RelayOpened(HoldInvoice UpstreamInvoice, ulong DownstreamAmountMsat);

public sealed record PaymentCompleted(PaymentResult Result);

public sealed record InvoiceSettled(Hash32 PaymentHash, Hash32 Preimage);

public sealed record InvoiceCancelled(Hash32 PaymentHash, string Reason);

/// <summary>A command the actor refused, and why (settle twice, cancel after settle, …).</summary>
public sealed record SettlementRejected(string Command, string Reason);

/// <summary>Notification: a payment hash's preimage became known to this node.</summary>
public sealed record PreimageLearned(Hash32 PaymentHash, Hash32 Preimage);

/// <summary>Notification: one of this node's invoices changed state.</summary>
public sealed record InvoiceChanged(Hash32 PaymentHash, RecordedInvoiceState State);
