using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.LightningHub;

/// <summary>
/// One operation of the hub, journaled before it is applied. Applied again in journal order, each at the time it
/// ran (<paramref name="At"/>), the events rebuild the same ledger: the embedded ledger is deterministic given
/// its operations and their times, and a refused operation is refused again and changes nothing.
/// Nodes are named by their ledger account (node i is account i, in the order they were opened).
/// </summary>
public abstract record HubEvent(DateTimeOffset At);

/// <summary>A name registered: a node with this key and opening balance (the only way money enters).</summary>
public sealed record HubNodeOpened(DateTimeOffset At, string Name, PrivateKey Key, ulong OpeningBalanceMsat) : HubEvent(At);

/// <summary>AddHoldInvoice, with the exact payment request it signed (fresh payment secret included).</summary>
public sealed record HubInvoiceAdded(DateTimeOffset At, int Payee, HoldInvoice Invoice, string Memo) : HubEvent(At);

/// <summary>Pay, by <paramref name="Payer"/>: locks the HTLC, or fails at once (a failure TrackPayment remembers too).</summary>
public sealed record HubPaymentSent(DateTimeOffset At, int Payer, string PaymentRequest) : HubEvent(At);

public sealed record HubInvoiceSettled(DateTimeOffset At, int Payee, Hash32 Preimage) : HubEvent(At);

public sealed record HubInvoiceCancelled(DateTimeOffset At, int Payee, Hash32 PaymentHash) : HubEvent(At);

/// <summary>Every invoice expiry and HTLC timeout due by <paramref name="At"/> applied (journaled whenever one is due, before anything else runs at that time).</summary>
public sealed record HubDeadlinesApplied(DateTimeOffset At) : HubEvent(At);

/// <summary>The whole hub at one point of its journal: recovery loads it, then replays only the events after it.</summary>
/// <param name="Clock">The hub's Lightning time then (that of the last event applied).</param>
/// <param name="Nodes">Node i's name, opening balance and invoice histories; node i is the network's node i.</param>
public sealed record HubSnapshot(DateTimeOffset Clock, NetworkImage Network, IReadOnlyList<HubNodeImage> Nodes);

/// <param name="Histories">Each invoice's states in the order its updates came (what <c>GET /state</c> shows).</param>
public sealed record HubNodeImage(string Name, ulong OpeningBalanceMsat, IReadOnlyDictionary<Hash32, IReadOnlyList<InvoiceState>> Histories);
