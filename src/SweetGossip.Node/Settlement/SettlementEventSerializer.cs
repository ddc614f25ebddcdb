using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;
using Google.Protobuf;
using SweetGossip.Protocol.Primitives;
using P = SweetGossip.Node.Settlement.Proto;

namespace SweetGossip.Node.Settlement;

/// <summary>
/// Journals settlement events as protobuf: compact, fast, and no type names in the stored bytes
/// (Akka's default JSON serializer would store .NET type names and is slow).
/// </summary>
public sealed class SettlementEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const string EventManifest = "se1";

    public override int Identifier => 7301;

    public override string Manifest(object o) => o is SettlementEvent
        ? EventManifest
        : throw new ArgumentException($"cannot serialize {o.GetType().Name}", nameof(o));

    public override byte[] ToBinary(object obj) => ToRecord((SettlementEvent)obj).ToByteArray();

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest != EventManifest)
            throw new SerializationException($"unknown settlement event manifest '{manifest}'");
        return FromRecord(P.SettlementEventRecord.Parser.ParseFrom(bytes));
    }

    internal static P.SettlementEventRecord ToRecord(SettlementEvent e)
    {
        var record = new P.SettlementEventRecord { PaymentHash = ByteString.CopyFrom(e.PaymentHash.ToArray()) };
        switch (e)
        {
            case InvoiceIssuedEvent i:
                record.InvoiceIssued = new P.InvoiceIssued { AmountMsat = i.AmountMsat, PaymentRequest = i.PaymentRequest, ExpiresAtUnixMs = i.ExpiresAt.ToUnixTimeMilliseconds() };
                break;
            case InvoiceAcceptedEvent a:
                record.InvoiceAccepted = new P.InvoiceAccepted { HasHtlcExpiry = a.HtlcExpiresAt.HasValue, HtlcExpiresAtUnixMs = a.HtlcExpiresAt?.ToUnixTimeMilliseconds() ?? 0 };
                break;
            case InvoiceSettledEvent s:
                record.InvoiceSettled = new P.InvoiceSettled { Preimage = ByteString.CopyFrom(s.Preimage.ToArray()) };
                break;
            case InvoiceCancelledEvent c:
                record.InvoiceCancelled = new P.InvoiceCancelled { Reason = c.Reason };
                break;
            case PaymentStartedEvent p:
                record.PaymentStarted = new P.PaymentStarted { PaymentRequest = p.PaymentRequest, AmountMsat = p.AmountMsat };
                break;
            case PaymentSucceededEvent p:
                record.PaymentSucceeded = new P.PaymentSucceeded { Preimage = ByteString.CopyFrom(p.Preimage.ToArray()), FeeMsat = p.FeeMsat };
                break;
            case PaymentFailedEvent p:
                record.PaymentFailed = new P.PaymentFailed { Reason = p.Reason };
                break;
            case RelayRegisteredEvent r:
                record.RelayRegistered = new P.RelayRegistered { DownstreamPaymentRequest = r.DownstreamPaymentRequest, DownstreamAmountMsat = r.DownstreamAmountMsat, FeeMsat = r.FeeMsat };
                break;
            default:
                throw new ArgumentException($"cannot serialize {e.GetType().Name}", nameof(e));
        }
        return record;
    }

    internal static SettlementEvent FromRecord(P.SettlementEventRecord r)
    {
        var hash = Hash32.FromSpan(r.PaymentHash.Span);
        return r.EventCase switch
        {
            P.SettlementEventRecord.EventOneofCase.InvoiceIssued => new InvoiceIssuedEvent(hash, r.InvoiceIssued.AmountMsat, r.InvoiceIssued.PaymentRequest, DateTimeOffset.FromUnixTimeMilliseconds(r.InvoiceIssued.ExpiresAtUnixMs)),
            P.SettlementEventRecord.EventOneofCase.InvoiceAccepted => new InvoiceAcceptedEvent(hash, r.InvoiceAccepted.HasHtlcExpiry ? DateTimeOffset.FromUnixTimeMilliseconds(r.InvoiceAccepted.HtlcExpiresAtUnixMs) : null),
            P.SettlementEventRecord.EventOneofCase.InvoiceSettled => new InvoiceSettledEvent(hash, Hash32.FromSpan(r.InvoiceSettled.Preimage.Span)),
            P.SettlementEventRecord.EventOneofCase.InvoiceCancelled => new InvoiceCancelledEvent(hash, r.InvoiceCancelled.Reason),
            P.SettlementEventRecord.EventOneofCase.PaymentStarted => new PaymentStartedEvent(hash, r.PaymentStarted.PaymentRequest, r.PaymentStarted.AmountMsat),
            P.SettlementEventRecord.EventOneofCase.PaymentSucceeded => new PaymentSucceededEvent(hash, Hash32.FromSpan(r.PaymentSucceeded.Preimage.Span), r.PaymentSucceeded.FeeMsat),
            P.SettlementEventRecord.EventOneofCase.PaymentFailed => new PaymentFailedEvent(hash, r.PaymentFailed.Reason),
            P.SettlementEventRecord.EventOneofCase.RelayRegistered => new RelayRegisteredEvent(hash, r.RelayRegistered.DownstreamPaymentRequest, r.RelayRegistered.DownstreamAmountMsat, r.RelayRegistered.FeeMsat),
            _ => throw new SerializationException("settlement event record holds no event"),
        };
    }
}
