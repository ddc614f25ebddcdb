using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Hub;

/// <summary>
/// The settlement commands and answers that cross between hub members (a member's node and its book running on another
/// member), one fixed manifest per type: the table is the allow-list, no type is ever loaded by name. It sits here, not in
/// <c>HubMessageSerializer</c>, because these types live in the node, which the cluster project cannot see. Bought replies
/// (<see cref="PayInvoice.Purchase"/>, <see cref="ReplyPaid"/>) cross too, with the topic's reply key: the book journals
/// it in the hub's shared journal anyway, and a book that runs on another member (its own member died, or it was never
/// moved back) must hand a paid reply to the member that bought it. Unknown manifests, oversized messages and malformed
/// fields are a <see cref="SerializationException"/> naming what is wrong.
/// </summary>
public sealed class SettlementMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 7_310_003;

    public const int MaxMessageBytes = 16 * 1024;
    public const int MaxActorPathBytes = 1024;

    /// <summary>A bought reply carries the signed request and the Reply frame: under Akka.Remote's default frame size (128000 bytes).</summary>
    public const int MaxPurchaseMessageBytes = 120_000;

    private const int PrivateKeyBytes = 32;
    private const int MaxRequestBytes = 2 * WireLimits.MaxInvoiceLength;
    private const int MaxMemoBytes = 1024;
    private const int MaxNoteChars = 1024;
    private const int MaxCommandChars = 64;

    /// <summary>Every manifest this serializer accepts, and the type it makes.</summary>
    public static IReadOnlyDictionary<string, Type> AllowList { get; } = new Dictionary<string, Type>
    {
        ["issue-invoice"] = typeof(IssueInvoice),
        ["pay-invoice"] = typeof(PayInvoice),
        ["decode-invoice"] = typeof(DecodeInvoice),
        ["settle-invoice"] = typeof(SettleInvoice),
        ["cancel-invoice"] = typeof(CancelInvoice),
        ["relay-payment"] = typeof(RelayPayment),
        ["watch-payment"] = typeof(WatchPayment),
        ["attach-purchase-handler"] = typeof(AttachPurchaseHandler),
        ["mark-reply-delivered"] = typeof(MarkReplyDelivered),
        ["invoice-issued"] = typeof(InvoiceIssued),
        ["relay-opened"] = typeof(RelayOpened),
        ["payment-completed"] = typeof(PaymentCompleted),
        ["invoice-settled"] = typeof(InvoiceSettled),
        ["invoice-cancelled"] = typeof(InvoiceCancelled),
        ["settlement-rejected"] = typeof(SettlementRejected),
        ["preimage-learned"] = typeof(PreimageLearned),
        ["invoice-changed"] = typeof(InvoiceChanged),
        ["decoded-payment-request"] = typeof(DecodedPaymentRequest),
        ["reply-paid"] = typeof(ReplyPaid),
    };

    private static readonly Dictionary<Type, string> Manifests = AllowList.ToDictionary(kv => kv.Value, kv => kv.Key);

    /// <summary>Binds every allow-listed type (and only those) to this serializer.</summary>
    public static string Hocon { get; } = $$"""
        akka.actor {
          serializers.sweetgossip-settlement = "{{typeof(SettlementMessageSerializer).FullName}}, {{typeof(SettlementMessageSerializer).Assembly.GetName().Name}}"
          serialization-bindings {
        {{string.Join("\n", AllowList.Values.Select(t => $"    \"{t.FullName}, {t.Assembly.GetName().Name}\" = sweetgossip-settlement"))}}
          }
        }
        """;

    public override int Identifier => Id;

    public override string Manifest(object o) => Manifests.TryGetValue(o.GetType(), out var manifest) ? manifest : throw NotAllowed(o);

    public override byte[] ToBinary(object obj)
    {
        var w = new SettlementWriter();
        switch (obj)
        {
            case IssueInvoice m:
                w.Hash(m.PaymentHash).U64(m.AmountMsat).Text(m.Memo, MaxMemoBytes, "memo").Span(m.Expiry).I32(m.CltvExpiryDelta).Hash(m.Preimage);
                break;
            case PayInvoice m:
                w.Text(m.PaymentRequest, MaxRequestBytes, "payment request");
                Terms(w, m.Terms);
                w.Flag(m.Purchase is not null);
                if (m.Purchase is { } purchase) Purchase(w, purchase);
                break;
            case ReplyPaid m:
                Purchase(w, m.Purchase);
                w.Hash(m.Preimage).U64(m.PaidMsat).Flag(m.AlreadyDelivered);
                break;
            case DecodeInvoice m:
                w.Text(m.PaymentRequest, MaxRequestBytes, "payment request");
                break;
            case SettleInvoice m:
                w.Hash(m.Preimage);
                break;
            case CancelInvoice m:
                w.Hash(m.PaymentHash);
                break;
            case RelayPayment m:
                w.Text(m.DownstreamPaymentRequest, MaxRequestBytes, "payment request")
                    .U64(m.Terms.FeeMsat).Span(m.Terms.InvoiceExpiry).I32(m.Terms.CltvExpiryDelta).Text(m.Terms.Memo, MaxMemoBytes, "memo");
                Terms(w, m.Expected);
                break;
            case WatchPayment m:
                w.Hash(m.PaymentHash).Actor(m.Subscriber);
                break;
            case AttachPurchaseHandler m:
                w.Actor(m.Handler);
                break;
            case MarkReplyDelivered m:
                w.Hash(m.PaymentHash);
                break;
            case InvoiceIssued m:
                Invoice(w, m.Invoice);
                break;
            case RelayOpened m:
                Invoice(w, m.UpstreamInvoice);
                w.U64(m.DownstreamAmountMsat);
                break;
            case PaymentCompleted { Result: var r }:
                w.I32((int)r.Status).Hash(r.PaymentHash).U64(r.AmountMsat).U64(r.FeeMsat).Hash(r.Preimage)
                    .I32(r.FailureReason is { } reason ? (int)reason : null).OptionalNote(r.FailureMessage, MaxNoteChars);
                break;
            case InvoiceSettled m:
                w.Hash(m.PaymentHash).Hash(m.Preimage);
                break;
            case InvoiceCancelled m:
                w.Hash(m.PaymentHash).Note(m.Reason, MaxNoteChars);
                break;
            case SettlementRejected m:
                w.Note(m.Command, MaxCommandChars).I32((int)m.Reason).Note(m.Detail, MaxNoteChars);
                break;
            case PreimageLearned m:
                w.Hash(m.PaymentHash).Hash(m.Preimage);
                break;
            case InvoiceChanged m:
                w.Hash(m.PaymentHash).I32((int)m.State);
                break;
            case DecodedPaymentRequest m:
                w.Node(m.Payee).Hash(m.PaymentHash).U64(m.AmountMsat).Text(m.Memo, MaxMemoBytes, "memo").Time(m.CreatedAt).Time(m.ExpiresAt).I32(m.CltvExpiryDelta);
                break;
            default:
                throw NotAllowed(obj);
        }
        var bytes = w.ToArray();
        var limit = obj is PayInvoice or ReplyPaid ? MaxPurchaseMessageBytes : MaxMessageBytes;
        return bytes.Length <= limit ? bytes : throw new SerializationException($"{obj.GetType().Name} is {bytes.Length} bytes, above {limit}: not sent between hub members");
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!AllowList.ContainsKey(manifest))
            throw new SerializationException($"settlement message manifest '{(manifest.Length <= 128 ? manifest : manifest[..128] + "…")}' is not on the allow-list: refused");
        var limit = manifest is "pay-invoice" or "reply-paid" ? MaxPurchaseMessageBytes : MaxMessageBytes;
        if (bytes.Length > limit)
            throw new SerializationException($"settlement message '{manifest}' is {bytes.Length} bytes, above the {limit}-byte limit: refused");
        var r = new SettlementReader(bytes, manifest, system);
        try
        {
            return manifest switch
            {
                "issue-invoice" => r.End(new IssueInvoice(r.Hash(), r.U64(), r.Text(MaxMemoBytes, "memo"), r.Span(), r.I32(), r.OptionalHash())),
                "pay-invoice" => r.End(new PayInvoice(r.Text(MaxRequestBytes, "payment request"), Terms(r), r.Flag() ? Purchase(r) : null)),
                "reply-paid" => r.End(new ReplyPaid(Purchase(r), r.Hash(), r.U64(), r.Flag())),
                "decode-invoice" => r.End(new DecodeInvoice(r.Text(MaxRequestBytes, "payment request"))),
                "settle-invoice" => r.End(new SettleInvoice(r.Hash())),
                "cancel-invoice" => r.End(new CancelInvoice(r.Hash())),
                "relay-payment" => r.End(new RelayPayment(r.Text(MaxRequestBytes, "payment request"),
                    new RelayTerms(r.U64(), r.Span(), r.OptionalI32(), r.Text(MaxMemoBytes, "memo")), Terms(r))),
                "watch-payment" => r.End(new WatchPayment(r.Hash(), r.Actor())),
                "attach-purchase-handler" => r.End(new AttachPurchaseHandler(r.Actor())),
                "mark-reply-delivered" => r.End(new MarkReplyDelivered(r.Hash())),
                "invoice-issued" => r.End(new InvoiceIssued(Invoice(r))),
                "relay-opened" => r.End(new RelayOpened(Invoice(r), r.U64())),
                "payment-completed" => r.End(new PaymentCompleted(Result(r))),
                "invoice-settled" => r.End(new InvoiceSettled(r.Hash(), r.Hash())),
                "invoice-cancelled" => r.End(new InvoiceCancelled(r.Hash(), r.Text(MaxNoteChars * 4, "reason"))),
                "settlement-rejected" => r.End(new SettlementRejected(r.Text(MaxCommandChars * 4, "command"), r.Enum<SettlementRefusal>("reason"), r.Text(MaxNoteChars * 4, "detail"))),
                "preimage-learned" => r.End(new PreimageLearned(r.Hash(), r.Hash())),
                "invoice-changed" => r.End(new InvoiceChanged(r.Hash(), r.Enum<RecordedInvoiceState>("state"))),
                _ => r.End(new DecodedPaymentRequest(r.Node(), r.Hash(), r.U64(), r.Text(MaxMemoBytes, "memo"), r.Time(), r.Time(), r.I32())),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new SerializationException($"settlement message '{manifest}' is malformed: {e.Message}", e);
        }
    }

    private static void Terms(SettlementWriter w, PaymentTerms? t)
    {
        w.Flag(t is not null);
        if (t is null) return;
        w.U64(t.ExactAmountMsat).U64(t.MinAmountMsat).U64(t.MaxAmountMsat).Node(t.Payee).Hash(t.PaymentHash).Time(t.PayableUntil);
    }

    private static PaymentTerms? Terms(SettlementReader r) =>
        r.Flag() ? new PaymentTerms(r.OptionalU64(), r.OptionalU64(), r.OptionalU64(), r.OptionalNode(), r.OptionalHash(), r.OptionalTime()) : null;

    private static void Purchase(SettlementWriter w, ReplyPurchase p) =>
        w.Blob(SignedRequestCodec.Encode(p.Request), WireLimits.MaxFrameBytes, "signed request")
            .Blob(p.ReplyKey.ToBytes(), PrivateKeyBytes, "reply key")
            .Blob(FrameCodec.Encode(p.Reply), WireLimits.MaxFrameBytes, "reply frame");

    /// <summary>A bought reply: the request it answers (signatures and all), its reply key and the Reply, which must be for that request.</summary>
    private static ReplyPurchase Purchase(SettlementReader r)
    {
        var requestBytes = r.Blob(WireLimits.MaxFrameBytes, "signed request");
        var keyBytes = r.Blob(PrivateKeyBytes, "reply key");
        var replyBytes = r.Blob(WireLimits.MaxFrameBytes, "reply frame");
        try
        {
            var request = SignedRequestCodec.Decode(requestBytes);
            var key = PrivateKey.FromBytes(keyBytes);
            if (!key.PublicKey.Equals(request.Payload.ReplyPublicKey))
                throw r.Bad("the reply key is not the one the request names");
            var reply = FrameCodec.Decode(replyBytes) as Reply ?? throw r.Bad("a bought reply's frame is not a Reply");
            if (reply.PayloadId != request.Payload.PayloadId)
                throw r.Bad($"the reply is for payload {reply.PayloadId}, the request is {request.Payload.PayloadId}");
            return new ReplyPurchase(request, key, reply);
        }
        catch (Exception e) when (e is FrameFormatException or CryptoFormatException or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw r.Bad($"bought reply: {e.Message}");
        }
    }

    private static void Invoice(SettlementWriter w, HoldInvoice i) =>
        w.Text(i.PaymentRequest, MaxRequestBytes, "payment request").Hash(i.PaymentHash).U64(i.AmountMsat).Time(i.CreatedAt).Time(i.ExpiresAt).I32(i.CltvExpiryDelta).Node(i.Payee);

    private static HoldInvoice Invoice(SettlementReader r) =>
        new(r.Text(MaxRequestBytes, "payment request"), r.Hash(), r.U64(), r.Time(), r.Time(), r.I32(), r.Node());

    private static PaymentResult Result(SettlementReader r)
    {
        var status = r.Enum<PaymentStatus>("status");
        var result = new PaymentResult
        {
            Status = status,
            PaymentHash = r.Hash(),
            AmountMsat = r.U64(),
            FeeMsat = r.U64(),
            Preimage = r.OptionalHash(),
            FailureReason = r.OptionalEnum<PaymentFailureReason>("failure reason"),
            FailureMessage = r.OptionalText(MaxNoteChars * 4, "failure message"),
        };
        // The shape PaymentResult promises its readers: a success has a preimage, a failure a reason and a message.
        var whole = status == PaymentStatus.Succeeded
            ? result.Preimage is not null && result.FailureReason is null
            : result.Preimage is null && result.FailureReason is not null && result.FailureMessage is not null;
        return whole ? result : throw new SerializationException($"settlement message 'payment-completed' is malformed: a {status} payment with the other outcome's fields");
    }

    private static SerializationException NotAllowed(object o) =>
        new($"{o.GetType().FullName} is not on the settlement serialization allow-list: add a manifest for it to {nameof(SettlementMessageSerializer)}");
}
