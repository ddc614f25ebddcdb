namespace SweetGossip.Daemon.Control;

// The control endpoint's JSON (snake_case on the wire), shared by the server in `node run` and the CLI commands.

/// <param name="Maps">The size of each of the node's bounded maps, by name (what hostile peers could try to fill).</param>
public sealed record StatusView(
    string Identity, string Listen, string ContactAddress, int Peers, int TopicsInFlight, int PayloadsSeen, int FavoursOpen,
    string Lightning, ulong BalanceMsat, IReadOnlyDictionary<string, int> Maps);

/// <summary>POST /topics/taxi. Times are ISO 8601 or relative to the node's clock (now, now+15m, +2h).</summary>
public sealed record TaxiTopicRequest(double? Lat, double? Lon, int? Precision, string? After, string? Before);

public sealed record TopicView(string PayloadId, string PickupGeohash, string PickupAfter, string PickupBefore, string ExpiresAt);

/// <summary>
/// One event of a topic this node originated: <c>arrived</c> (an offer reached the node, sealed, not yet paid;
/// <see cref="Via"/> and <see cref="InvoiceMsat"/> set) or <c>delivered</c> (paid, opened; the offer's fields set).
/// </summary>
public sealed record ReplyView(
    string At, string State, string PayloadId, string? Via = null, ulong? InvoiceMsat = null, string? Message = null,
    string? ContactAddress = null, string? Replier = null, ulong? PaidMsat = null, bool? AckConfirmed = null, bool? Recovered = null);

public sealed record RepliesView(IReadOnlyList<ReplyView> Replies);

public sealed record ErrorView(string Error);

public sealed record LnInvoiceRequest(ulong? AmountSat, string? Memo, ulong? ExpirySeconds);

public sealed record LnInvoiceView(string PaymentRequest, string PaymentHash, ulong AmountMsat, string ExpiresAt);

public sealed record LnPayRequest(string? PaymentRequest);

public sealed record LnPaymentView(string Status, string PaymentHash, ulong AmountMsat, ulong FeeMsat, string? Preimage, string? Failure);
