using System.Text.Json;
using System.Text.Json.Serialization;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Remote;

/// <summary>
/// The JSON of the Lightning hub's HTTP API, shared by the hub and <see cref="RemoteLightningNode"/>:
/// snake_case names, enums as their names, hashes and node ids as lowercase hex, times as ISO 8601.
/// The port's own records (<see cref="HoldInvoice"/>, <see cref="InvoiceStatus"/>, <see cref="InvoiceUpdate"/>,
/// <see cref="PaymentResult"/>, <see cref="DecodedPaymentRequest"/>, <see cref="LightningBalance"/>) travel as they are.
/// </summary>
public static class HubJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the hub's conventions to <paramref name="options"/> (the hub's Kestrel uses it on its own options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new Hash32Converter());
        options.Converters.Add(new NodeIdConverter());
        return options;
    }

    private sealed class Hash32Converter : JsonConverter<Hash32>
    {
        public override Hash32 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            if (text is not { Length: 2 * Hash32.Length })
                throw new JsonException($"expected {2 * Hash32.Length} hex digits, got '{text}'");
            try
            {
                return Hash32.FromHex(text);
            }
            catch (FormatException e)
            {
                throw new JsonException($"'{text}' is not hex", e);
            }
        }

        public override void Write(Utf8JsonWriter writer, Hash32 value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToHex());
    }

    private sealed class NodeIdConverter : JsonConverter<LightningNodeId>
    {
        public override LightningNodeId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? "";
            try
            {
                return LightningNodeId.FromHex(text);
            }
            catch (FormatException e)
            {
                throw new JsonException($"'{text}' is not a node id", e);
            }
        }

        public override void Write(Utf8JsonWriter writer, LightningNodeId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToHex());
    }
}

/// <summary><c>POST /nodes</c>: get the hub's Lightning node of this name, creating it with the opening balance if it is new.</summary>
public sealed record HubRegisterRequest(string Name, ulong OpeningBalanceMsat);

/// <param name="Created">False when the name was known: the same node (and its money) is handed back; no new balance.</param>
/// <param name="Sequence">The node's last invoice-update sequence number now; updates after it are yet to come.</param>
public sealed record HubNodeView(string Name, LightningNodeId NodeId, bool Created, ulong Sequence);

/// <summary><c>POST /nodes/{name}/invoices</c>: AddHoldInvoice.</summary>
public sealed record HubAddInvoiceRequest(Hash32 PaymentHash, ulong AmountMsat, string Memo, double ExpirySeconds, int CltvExpiryDelta);

/// <summary><c>POST /nodes/{name}/invoices/settle</c>.</summary>
public sealed record HubSettleRequest(Hash32 Preimage);

/// <summary>
/// <c>GET /nodes/{name}/invoices/updates?after=N&amp;wait=S</c>: the updates with a sequence above N, in order, a page at a
/// time (waits up to S seconds for one). <paramref name="Truncated"/>: N is older than the hub's bounded log, so the page
/// holds instead the current state (latest update) of every invoice that changed after N, in sequence order; nothing
/// is missed but the intermediate states. <paramref name="Next"/>: the cursor to ask from next (else the last update's sequence).
/// </summary>
public sealed record HubUpdatesView(IReadOnlyList<InvoiceUpdate> Updates, bool Truncated = false, ulong? Next = null);

/// <summary><c>POST /nodes/{name}/payments</c>: pay, waiting up to <paramref name="WaitSeconds"/> for the final state.</summary>
public sealed record HubPayRequest(string PaymentRequest, double WaitSeconds);

/// <summary>A payment still in flight after the wait (HTTP 202): ask <c>GET /nodes/{name}/payments/{hash}</c> again.</summary>
public sealed record HubPaymentPending(Hash32 PaymentHash);

/// <summary><c>POST /decode</c>.</summary>
public sealed record HubDecodeRequest(string PaymentRequest);

/// <summary>A refusal: <paramref name="Code"/> is a <see cref="LightningErrorCode"/> name when the Lightning node refused.</summary>
public sealed record HubError(string Error, string? Code = null);

/// <summary>One node in <c>GET /state</c>.</summary>
public sealed record HubNodeState(string Name, LightningNodeId NodeId, ulong AvailableMsat, ulong OutgoingLockedMsat, ulong IncomingPendingMsat, ulong OpeningBalanceMsat);

/// <summary>One invoice in <c>GET /state</c>, with who paid it (when paid through the hub) and its state history.</summary>
public sealed record HubInvoiceState(
    string Payee, Hash32 PaymentHash, InvoiceState State, ulong AmountMsat, string PaymentRequest, string? Payer,
    InvoiceCancelReason? CancelReason, IReadOnlyList<InvoiceState> History);

/// <summary>
/// <c>GET /state</c>: the whole hub, for operators and tests. <paramref name="Invariants"/> is "ok" or the
/// ledger's complaint (money not conserved, locked funds not matching the Accepted HTLCs).
/// </summary>
public sealed record HubState(ulong TotalMsat, ulong DepositedMsat, string Invariants, IReadOnlyList<HubNodeState> Nodes, IReadOnlyList<HubInvoiceState> Invoices);
