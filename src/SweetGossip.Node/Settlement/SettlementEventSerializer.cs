using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Google.Protobuf;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;
using P = SweetGossip.Node.Settlement.Proto;

namespace SweetGossip.Node.Settlement;

/// <summary>
/// Journals settlement events and snapshots as protobuf: compact, fast, and no type names in the stored bytes
/// (Akka's default JSON serializer would store .NET type names and is slow). A bought reply is stored in the
/// protocol's own wire encodings and decoded as strictly as a peer's frame.
/// </summary>
public sealed class SettlementEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const string EventManifest = "se1";
    private const string SnapshotManifest = "ss1";

    public override int Identifier => 7301;

    public override string Manifest(object o) => o switch
    {
        SettlementEvent => EventManifest,
        SettlementSnapshot => SnapshotManifest,
        _ => throw new ArgumentException($"cannot serialize {o.GetType().Name}", nameof(o)),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        SettlementEvent e => ToRecord(e).ToByteArray(),
        SettlementSnapshot s => ToRecord(s).ToByteArray(),
        _ => throw new ArgumentException($"cannot serialize {obj.GetType().Name}", nameof(obj)),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            return manifest switch
            {
                EventManifest => FromRecord(P.SettlementEventRecord.Parser.ParseFrom(bytes)),
                SnapshotManifest => FromRecord(P.SettlementSnapshotRecord.Parser.ParseFrom(bytes)),
                _ => throw new SerializationException($"unknown settlement manifest '{manifest}'"),
            };
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FrameFormatException or ArgumentException or CryptoFormatException)
        {
            throw new SerializationException($"settlement record ({manifest}) is corrupt: {e.Message}", e);
        }
    }

    internal static P.SettlementEventRecord ToRecord(SettlementEvent e)
    {
        var record = new P.SettlementEventRecord { PaymentHash = Of(e.PaymentHash), AtUnixMs = e.At.ToUnixTimeMilliseconds() };
        switch (e)
        {
            case InvoiceIssuedEvent i:
                record.InvoiceIssued = new P.InvoiceIssued { AmountMsat = i.AmountMsat, PaymentRequest = i.PaymentRequest, ExpiresAtUnixMs = i.ExpiresAt.ToUnixTimeMilliseconds(), CltvExpiryDelta = i.CltvExpiryDelta };
                break;
            case InvoiceAcceptedEvent a:
                record.InvoiceAccepted = new P.InvoiceAccepted { HasHtlcExpiry = a.HtlcExpiresAt.HasValue, HtlcExpiresAtUnixMs = a.HtlcExpiresAt?.ToUnixTimeMilliseconds() ?? 0 };
                break;
            case InvoiceSettledEvent s:
                record.InvoiceSettled = new P.InvoiceSettled { Preimage = Of(s.Preimage) };
                break;
            case InvoiceCancelledEvent c:
                record.InvoiceCancelled = new P.InvoiceCancelled { Reason = c.Reason };
                break;
            case InvoiceNotIssuedEvent n:
                record.InvoiceNotIssued = new P.InvoiceNotIssued { Reason = n.Reason };
                break;
            case PaymentStartedEvent p:
                record.PaymentStarted = new P.PaymentStarted { PaymentRequest = p.PaymentRequest, AmountMsat = p.AmountMsat };
                break;
            case PaymentSucceededEvent p:
                record.PaymentSucceeded = new P.PaymentSucceeded { Preimage = Of(p.Preimage), FeeMsat = p.FeeMsat };
                break;
            case PaymentFailedEvent p:
                record.PaymentFailed = new P.PaymentFailed { Reason = p.Reason };
                break;
            case RelayRegisteredEvent r:
                record.RelayRegistered = ToRecord(new RecordedRelay(r.DownstreamPaymentRequest, r.DownstreamAmountMsat, r.FeeMsat, r.DownstreamCltvExpiryDelta));
                break;
            case SecretRegisteredEvent s:
                record.SecretRegistered = new P.SecretRegistered { Preimage = Of(s.Preimage) };
                break;
            case ReplyPurchasedEvent p:
                record.ReplyPurchased = ToRecord(p.Purchase);
                break;
            case ReplyDeliveredEvent:
                record.ReplyDelivered = new P.ReplyDelivered();
                break;
            default:
                throw new ArgumentException($"cannot serialize {e.GetType().Name}", nameof(e));
        }
        return record;
    }

    internal static SettlementEvent FromRecord(P.SettlementEventRecord r)
    {
        var hash = Hash(r.PaymentHash);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(r.AtUnixMs);
        return r.EventCase switch
        {
            P.SettlementEventRecord.EventOneofCase.InvoiceIssued => new InvoiceIssuedEvent(hash, at, r.InvoiceIssued.AmountMsat, r.InvoiceIssued.PaymentRequest, Time(r.InvoiceIssued.ExpiresAtUnixMs), r.InvoiceIssued.CltvExpiryDelta),
            P.SettlementEventRecord.EventOneofCase.InvoiceAccepted => new InvoiceAcceptedEvent(hash, at, r.InvoiceAccepted.HasHtlcExpiry ? Time(r.InvoiceAccepted.HtlcExpiresAtUnixMs) : null),
            P.SettlementEventRecord.EventOneofCase.InvoiceSettled => new InvoiceSettledEvent(hash, at, Hash(r.InvoiceSettled.Preimage)),
            P.SettlementEventRecord.EventOneofCase.InvoiceCancelled => new InvoiceCancelledEvent(hash, at, r.InvoiceCancelled.Reason),
            P.SettlementEventRecord.EventOneofCase.InvoiceNotIssued => new InvoiceNotIssuedEvent(hash, at, r.InvoiceNotIssued.Reason),
            P.SettlementEventRecord.EventOneofCase.PaymentStarted => new PaymentStartedEvent(hash, at, r.PaymentStarted.PaymentRequest, r.PaymentStarted.AmountMsat),
            P.SettlementEventRecord.EventOneofCase.PaymentSucceeded => new PaymentSucceededEvent(hash, at, Hash(r.PaymentSucceeded.Preimage), r.PaymentSucceeded.FeeMsat),
            P.SettlementEventRecord.EventOneofCase.PaymentFailed => new PaymentFailedEvent(hash, at, r.PaymentFailed.Reason),
            P.SettlementEventRecord.EventOneofCase.RelayRegistered => new RelayRegisteredEvent(hash, at, r.RelayRegistered.DownstreamPaymentRequest, r.RelayRegistered.DownstreamAmountMsat, r.RelayRegistered.FeeMsat, r.RelayRegistered.DownstreamCltvExpiryDelta),
            P.SettlementEventRecord.EventOneofCase.SecretRegistered => new SecretRegisteredEvent(hash, at, Hash(r.SecretRegistered.Preimage)),
            P.SettlementEventRecord.EventOneofCase.ReplyPurchased => new ReplyPurchasedEvent(hash, at, FromRecord(r.ReplyPurchased)),
            P.SettlementEventRecord.EventOneofCase.ReplyDelivered => new ReplyDeliveredEvent(hash, at),
            _ => throw new SerializationException("settlement event record holds no event"),
        };
    }

    internal static P.SettlementSnapshotRecord ToRecord(SettlementSnapshot snapshot)
    {
        var record = new P.SettlementSnapshotRecord();
        foreach (var e in snapshot.Entries)
        {
            var entry = new P.SettlementEntryRecord { PaymentHash = Of(e.PaymentHash), ChangedAtUnixMs = e.ChangedAt.ToUnixTimeMilliseconds() };
            if (e.Invoice is { } i)
                entry.Invoice = new P.InvoiceRecord
                {
                    AmountMsat = i.AmountMsat, PaymentRequest = i.PaymentRequest, ExpiresAtUnixMs = i.ExpiresAt.ToUnixTimeMilliseconds(),
                    CltvExpiryDelta = i.CltvExpiryDelta, State = (int)i.State,
                    HasHtlcExpiry = i.HtlcExpiresAt.HasValue, HtlcExpiresAtUnixMs = i.HtlcExpiresAt?.ToUnixTimeMilliseconds() ?? 0,
                    Preimage = OfOptional(i.Preimage), HasCancelReason = i.CancelReason is not null, CancelReason = i.CancelReason ?? "",
                };
            if (e.Payment is { } p)
                entry.Payment = new P.PaymentRecord
                {
                    PaymentRequest = p.PaymentRequest, AmountMsat = p.AmountMsat, State = (int)p.State, Preimage = OfOptional(p.Preimage),
                    FeeMsat = p.FeeMsat, HasFailureReason = p.FailureReason is not null, FailureReason = p.FailureReason ?? "",
                };
            if (e.Relay is { } relay) entry.Relay = ToRecord(relay);
            entry.Secret = OfOptional(e.Secret);
            entry.HasNotIssuedReason = e.NotIssuedReason is not null;
            entry.NotIssuedReason = e.NotIssuedReason ?? "";
            if (e.Purchase is { } purchase)
            {
                entry.Purchase = ToRecord(purchase.Purchase);
                entry.PurchaseDelivered = purchase.Delivered;
            }
            record.Entries.Add(entry);
        }
        return record;
    }

    internal static SettlementSnapshot FromRecord(P.SettlementSnapshotRecord record) => new(record.Entries.Select(r => new SettlementEntry(Hash(r.PaymentHash), Time(r.ChangedAtUnixMs))
    {
        Invoice = r.Invoice is { } i
            ? new RecordedInvoice(i.AmountMsat, i.PaymentRequest, Time(i.ExpiresAtUnixMs), i.CltvExpiryDelta, Enum<RecordedInvoiceState>(i.State),
                i.HasHtlcExpiry ? Time(i.HtlcExpiresAtUnixMs) : null, Optional(i.Preimage), i.HasCancelReason ? i.CancelReason : null)
            : null,
        Payment = r.Payment is { } p
            ? new RecordedPayment(p.PaymentRequest, p.AmountMsat, Enum<RecordedPaymentState>(p.State), Optional(p.Preimage), p.FeeMsat, p.HasFailureReason ? p.FailureReason : null)
            : null,
        Relay = r.Relay is { } relay ? new RecordedRelay(relay.DownstreamPaymentRequest, relay.DownstreamAmountMsat, relay.FeeMsat, relay.DownstreamCltvExpiryDelta) : null,
        Secret = Optional(r.Secret),
        NotIssuedReason = r.HasNotIssuedReason ? r.NotIssuedReason : null,
        Purchase = r.Purchase is { } purchase ? new RecordedPurchase(FromRecord(purchase), r.PurchaseDelivered) : null,
    }).ToList());

    private static P.RelayRegistered ToRecord(RecordedRelay r) => new()
    {
        DownstreamPaymentRequest = r.DownstreamPaymentRequest, DownstreamAmountMsat = r.DownstreamAmountMsat, FeeMsat = r.FeeMsat,
        DownstreamCltvExpiryDelta = r.DownstreamCltvExpiryDelta,
    };

    private static P.ReplyPurchased ToRecord(ReplyPurchase p) => new()
    {
        SignedRequest = ByteString.CopyFrom(SignedRequestCodec.Encode(p.Request)),
        ReplyKey = ByteString.CopyFrom(p.ReplyKey.ToBytes()),
        ReplyFrame = ByteString.CopyFrom(FrameCodec.Encode(p.Reply)),
    };

    private static ReplyPurchase FromRecord(P.ReplyPurchased p) => new(
        SignedRequestCodec.Decode(p.SignedRequest.Span),
        PrivateKey.FromBytes(p.ReplyKey.Span),
        FrameCodec.Decode(p.ReplyFrame.Span) as Reply ?? throw new SerializationException("a bought reply's frame is not a Reply"));

    private static T Enum<T>(int value) where T : struct, Enum =>
        System.Enum.IsDefined(typeof(T), value) ? (T)(object)value : throw new SerializationException($"{value} is not a {typeof(T).Name}");

    private static ByteString Of(Hash32 hash) => ByteString.CopyFrom(hash.ToArray());

    private static ByteString OfOptional(Hash32? hash) => hash is { } h ? Of(h) : ByteString.Empty;

    private static Hash32 Hash(ByteString bytes) => bytes.Length == Hash32.Length
        ? Hash32.FromSpan(bytes.Span)
        : throw new SerializationException($"a hash must be {Hash32.Length} bytes, got {bytes.Length}");

    private static Hash32? Optional(ByteString bytes) => bytes.IsEmpty ? null : Hash(bytes);

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
}
