using Akka.Actor;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Settlement;

// Commands to the settlement actor, and its answers. Immutable; the actor answers every command, with the
// answer named below or a SettlementRejected.

/// <summary>
/// Issue a hold invoice under a payment hash. With <paramref name="Preimage"/> (this node owns the secret: a
/// replier's offer, an operator's invoice) the secret is journaled first and the invoice is settled as soon as it is
/// accepted; without it (a relay's, a favour's: the router settles or cancels it) it waits. Answered with <see cref="InvoiceIssued"/>.
/// </summary>
public sealed record IssueInvoice(Hash32 PaymentHash, ulong AmountMsat, string Memo, TimeSpan Expiry, int CltvExpiryDelta, Hash32? Preimage = null)
{
    public static IssueInvoice Settled(Hash32 preimage, ulong amountMsat, string memo, TimeSpan expiry, int cltvExpiryDelta) =>
        new(preimage.Sha256(), amountMsat, memo, expiry, cltvExpiryDelta, preimage);
}

/// <summary>
/// Pay a payment request once its terms are checked against <paramref name="Terms"/> (and it is not expired, and
/// its hash never paid here). With <paramref name="Purchase"/> (an originator buying a reply) what opens the reply
/// is journaled with the payment's start. Answered with <see cref="PaymentCompleted"/> once final.
/// </summary>
public sealed record PayInvoice(string PaymentRequest, PaymentTerms? Terms = null, ReplyPurchase? Purchase = null);

/// <summary>Read a payment request's terms through this node's Lightning node (answered with <see cref="DecodedPaymentRequest"/>).</summary>
public sealed record DecodeInvoice(string PaymentRequest);

/// <summary>Settle one of our Accepted invoices with its preimage (answered with <see cref="InvoiceSettled"/>).</summary>
public sealed record SettleInvoice(Hash32 Preimage);

/// <summary>Cancel one of our Open or Accepted invoices (answered with <see cref="InvoiceCancelled"/>).</summary>
public sealed record CancelInvoice(Hash32 PaymentHash);

/// <summary>
/// A middleman's part of a reply's payment chain: check the downstream invoice against <paramref name="Expected"/>
/// (the downstream peer's Lightning node, the reply's hash, at least the replier's price), issue an upstream hold
/// invoice under the same hash for its amount + the terms' fee (<see cref="RelayPlan"/>); then the ledger pays
/// downstream once upstream is accepted and the deadline rule allows, settles upstream with the preimage that
/// payment returns, refunds upstream if it fails. Answered with <see cref="RelayOpened"/>.
/// </summary>
public sealed record RelayPayment(string DownstreamPaymentRequest, RelayTerms Terms, PaymentTerms? Expected = null);

/// <summary>Tell <paramref name="Subscriber"/> of every change under <paramref name="PaymentHash"/>: <see cref="InvoiceChanged"/>, <see cref="PreimageLearned"/>.</summary>
public sealed record WatchPayment(Hash32 PaymentHash, IActorRef Subscriber);

/// <summary>
/// The node's guardian registers here to deliver bought replies: it is sent <see cref="ReplyPaid"/> for every
/// bought reply that is paid and not delivered (also those paid before a restart), and answers with
/// <see cref="MarkReplyDelivered"/>.
/// </summary>
public sealed record AttachPurchaseHandler(IActorRef Handler);

/// <summary>A bought reply was opened and delivered: journal it, so it is not delivered again.</summary>
public sealed record MarkReplyDelivered(Hash32 PaymentHash);

/// <summary>Check every active entry against the clock now (also sent by the actor's own timer).</summary>
public sealed record SweepExpiredHolds
{
    public static readonly SweepExpiredHolds Instance = new();
}

/// <summary>Ask for the actor's current view (answered with <see cref="SettlementLedger"/>).</summary>
public sealed record GetSettlementLedger
{
    public static readonly GetSettlementLedger Instance = new();
}

public sealed record InvoiceIssued(HoldInvoice Invoice);

public sealed record RelayOpened(HoldInvoice UpstreamInvoice, ulong DownstreamAmountMsat);

public sealed record PaymentCompleted(PaymentResult Result);

public sealed record InvoiceSettled(Hash32 PaymentHash, Hash32 Preimage);

public sealed record InvoiceCancelled(Hash32 PaymentHash, string Reason);

/// <summary>A command the actor refused, why (typed) and the detail.</summary>
public sealed record SettlementRejected(string Command, SettlementRefusal Reason, string Detail)
{
    public static SettlementRejected Of(string command, Refusal refusal) => new(command, refusal.Reason, refusal.Detail);

    public override string ToString() => $"{Command} refused: {Reason}: {Detail}";
}

/// <summary>Notification: a payment hash's preimage became known to this node.</summary>
public sealed record PreimageLearned(Hash32 PaymentHash, Hash32 Preimage);

/// <summary>Notification: one of this node's invoices changed state.</summary>
public sealed record InvoiceChanged(Hash32 PaymentHash, RecordedInvoiceState State);

/// <summary>
/// To the purchase handler: a bought reply is paid; open it with <paramref name="Preimage"/> and deliver it. With
/// <paramref name="AlreadyDelivered"/>, it was delivered before a restart and is handed over again (retained
/// replies only), so what the app lists survives the restart; it is not validated or marked again.
/// </summary>
public sealed record ReplyPaid(ReplyPurchase Purchase, Hash32 Preimage, ulong PaidMsat, bool AlreadyDelivered = false);
