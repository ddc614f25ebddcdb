using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Google.Protobuf;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using P = SweetGossip.LightningHub.Proto;

namespace SweetGossip.LightningHub;

/// <summary>
/// Journals the hub's events and snapshots as protobuf (<c>hub_journal.proto</c>): compact, and no .NET type names
/// in the stored bytes. Reading checks what it rebuilds (enum values, key and hash lengths); the ledger then checks
/// a snapshot's books as it loads it.
/// </summary>
public sealed class HubEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const string EventManifest = "he1";
    private const string SnapshotManifest = "hs1";

    public override int Identifier => 7303;

    public override string Manifest(object o) => o switch
    {
        HubEvent => EventManifest,
        HubSnapshot => SnapshotManifest,
        _ => throw new ArgumentException($"cannot serialize {o.GetType().Name}", nameof(o)),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        HubEvent e => ToRecord(e).ToByteArray(),
        HubSnapshot s => ToRecord(s).ToByteArray(),
        _ => throw new ArgumentException($"cannot serialize {obj.GetType().Name}", nameof(obj)),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            return manifest switch
            {
                EventManifest => FromRecord(P.HubEventRecord.Parser.ParseFrom(bytes)),
                SnapshotManifest => FromRecord(P.HubSnapshotRecord.Parser.ParseFrom(bytes)),
                _ => throw new SerializationException($"unknown hub journal manifest '{manifest}'"),
            };
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or ArgumentException or FormatException or Protocol.Crypto.CryptoFormatException)
        {
            throw new SerializationException($"unreadable hub journal record ({manifest}): {e.Message}", e);
        }
    }

    // ------------------------------------------------------------------ events

    internal static P.HubEventRecord ToRecord(HubEvent e)
    {
        var record = new P.HubEventRecord { AtTicks = e.At.UtcTicks };
        switch (e)
        {
            case HubNodeOpened n:
                record.NodeOpened = new P.NodeOpened { Name = n.Name, SecretKey = ByteString.CopyFrom(n.Key.ToBytes()), OpeningBalanceMsat = n.OpeningBalanceMsat };
                break;
            case HubInvoiceAdded a:
                record.InvoiceAdded = new P.InvoiceAdded
                {
                    Payee = (uint)a.Payee,
                    PaymentHash = Bytes(a.Invoice.PaymentHash),
                    AmountMsat = a.Invoice.AmountMsat,
                    Memo = a.Memo,
                    PaymentRequest = a.Invoice.PaymentRequest,
                    CreatedAtTicks = a.Invoice.CreatedAt.UtcTicks,
                    ExpiresAtTicks = a.Invoice.ExpiresAt.UtcTicks,
                    CltvExpiryDelta = (uint)a.Invoice.CltvExpiryDelta,
                    PayeeNodeId = ByteString.CopyFrom(a.Invoice.Payee.ToBytes()),
                };
                break;
            case HubPaymentSent p:
                record.PaymentSent = new P.PaymentSent { Payer = (uint)p.Payer, PaymentRequest = p.PaymentRequest };
                break;
            case HubInvoiceSettled s:
                record.InvoiceSettled = new P.InvoiceSettled { Payee = (uint)s.Payee, Preimage = Bytes(s.Preimage) };
                break;
            case HubInvoiceCancelled c:
                record.InvoiceCancelled = new P.InvoiceCancelled { Payee = (uint)c.Payee, PaymentHash = Bytes(c.PaymentHash) };
                break;
            case HubDeadlinesApplied:
                record.DeadlinesApplied = new P.DeadlinesApplied();
                break;
            default:
                throw new ArgumentException($"cannot serialize {e.GetType().Name}", nameof(e));
        }
        return record;
    }

    internal static HubEvent FromRecord(P.HubEventRecord r)
    {
        var at = Time(r.AtTicks);
        return r.EventCase switch
        {
            P.HubEventRecord.EventOneofCase.NodeOpened => new HubNodeOpened(at, r.NodeOpened.Name, PrivateKey.FromBytes(r.NodeOpened.SecretKey.Span), r.NodeOpened.OpeningBalanceMsat),
            P.HubEventRecord.EventOneofCase.InvoiceAdded => new HubInvoiceAdded(at, Index(r.InvoiceAdded.Payee), new HoldInvoice(
                r.InvoiceAdded.PaymentRequest, Hash(r.InvoiceAdded.PaymentHash), r.InvoiceAdded.AmountMsat, Time(r.InvoiceAdded.CreatedAtTicks),
                Time(r.InvoiceAdded.ExpiresAtTicks), Index(r.InvoiceAdded.CltvExpiryDelta), NodeId(r.InvoiceAdded.PayeeNodeId)), r.InvoiceAdded.Memo),
            P.HubEventRecord.EventOneofCase.PaymentSent => new HubPaymentSent(at, Index(r.PaymentSent.Payer), r.PaymentSent.PaymentRequest),
            P.HubEventRecord.EventOneofCase.InvoiceSettled => new HubInvoiceSettled(at, Index(r.InvoiceSettled.Payee), Hash(r.InvoiceSettled.Preimage)),
            P.HubEventRecord.EventOneofCase.InvoiceCancelled => new HubInvoiceCancelled(at, Index(r.InvoiceCancelled.Payee), Hash(r.InvoiceCancelled.PaymentHash)),
            P.HubEventRecord.EventOneofCase.DeadlinesApplied => new HubDeadlinesApplied(at),
            _ => throw new SerializationException("hub event record holds no event"),
        };
    }

    // ------------------------------------------------------------------ snapshots

    internal static P.HubSnapshotRecord ToRecord(HubSnapshot s)
    {
        var ledger = s.Network.Ledger;
        var record = new P.HubSnapshotRecord { ClockTicks = s.Clock.UtcTicks, DepositedMsat = ledger.DepositedMsat, RoutingFeesMsat = ledger.RoutingFeesMsat };
        for (var i = 0; i < ledger.Accounts.Count; i++)
        {
            var account = ledger.Accounts[i];
            record.Nodes.Add(new P.Node
            {
                Name = s.Nodes[i].Name,
                SecretKey = ByteString.CopyFrom(s.Network.NodeKeys[i].ToBytes()),
                OpeningBalanceMsat = s.Nodes[i].OpeningBalanceMsat,
                AvailableMsat = account.AvailableMsat,
                OutgoingLockedMsat = account.OutgoingLockedMsat,
                IncomingPendingMsat = account.IncomingPendingMsat,
                Sequence = account.Sequence,
            });
        }
        foreach (var invoice in ledger.Invoices)
        {
            var status = invoice.Last.Invoice;
            var item = new P.Invoice
            {
                Payee = (uint)invoice.Payee,
                Payer = invoice.Payer,
                FeeMsat = invoice.FeeMsat,
                Sequence = invoice.Last.Sequence,
                UpdatedAtTicks = invoice.Last.Timestamp.UtcTicks,
                PaymentHash = Bytes(status.PaymentHash),
                State = (uint)status.State,
                AmountMsat = status.AmountMsat,
                AmountPaidMsat = status.AmountPaidMsat,
                Memo = status.Memo,
                PaymentRequest = status.PaymentRequest,
                CreatedAtTicks = status.CreatedAt.UtcTicks,
                ExpiresAtTicks = status.ExpiresAt.UtcTicks,
                CltvExpiryDelta = (uint)status.CltvExpiryDelta,
                Preimage = status.Preimage is { } preimage ? Bytes(preimage) : ByteString.Empty,
            };
            if (status.AcceptedAt is { } accepted) item.AcceptedAtTicks = accepted.UtcTicks;
            if (status.HtlcExpiresAt is { } htlc) item.HtlcExpiresAtTicks = htlc.UtcTicks;
            if (status.SettledAt is { } settled) item.SettledAtTicks = settled.UtcTicks;
            if (status.CancelledAt is { } cancelled) item.CancelledAtTicks = cancelled.UtcTicks;
            if (status.CancelReason is { } reason) item.CancelReason = (uint)reason;
            if (s.Nodes[invoice.Payee].Histories.TryGetValue(status.PaymentHash, out var history))
                item.History.AddRange(history.Select(h => (uint)h));
            record.Invoices.Add(item);
        }
        foreach (var payment in s.Network.Payments)
        {
            var item = new P.TrackedPayment { Payer = (uint)payment.Payer, PaymentHash = Bytes(payment.PaymentHash), Payee = payment.Payee };
            if (payment.Result is { } result)
            {
                item.Result = new P.PaymentOutcome
                {
                    Succeeded = result.Succeeded,
                    PaymentHash = Bytes(result.PaymentHash),
                    AmountMsat = result.AmountMsat,
                    FeeMsat = result.FeeMsat,
                    Preimage = result.Preimage is { } preimage ? Bytes(preimage) : ByteString.Empty,
                    FailureMessage = result.FailureMessage ?? "",
                };
                if (result.FailureReason is { } failure) item.Result.FailureReason = (uint)failure;
            }
            record.Payments.Add(item);
        }
        return record;
    }

    internal static HubSnapshot FromRecord(P.HubSnapshotRecord r)
    {
        var accounts = r.Nodes.Select(n => new LedgerAccountImage(n.AvailableMsat, n.OutgoingLockedMsat, n.IncomingPendingMsat, n.Sequence)).ToList();
        var histories = r.Nodes.Select(_ => new Dictionary<Hash32, IReadOnlyList<InvoiceState>>()).ToList();
        var invoices = new List<LedgerInvoiceImage>(r.Invoices.Count);
        foreach (var i in r.Invoices)
        {
            var status = new InvoiceStatus
            {
                PaymentHash = Hash(i.PaymentHash),
                State = Enum<InvoiceState>(i.State),
                AmountMsat = i.AmountMsat,
                AmountPaidMsat = i.AmountPaidMsat,
                Memo = i.Memo,
                PaymentRequest = i.PaymentRequest,
                CreatedAt = Time(i.CreatedAtTicks),
                ExpiresAt = Time(i.ExpiresAtTicks),
                CltvExpiryDelta = Index(i.CltvExpiryDelta),
                AcceptedAt = i.HasAcceptedAtTicks ? Time(i.AcceptedAtTicks) : null,
                HtlcExpiresAt = i.HasHtlcExpiresAtTicks ? Time(i.HtlcExpiresAtTicks) : null,
                SettledAt = i.HasSettledAtTicks ? Time(i.SettledAtTicks) : null,
                CancelledAt = i.HasCancelledAtTicks ? Time(i.CancelledAtTicks) : null,
                CancelReason = i.HasCancelReason ? Enum<InvoiceCancelReason>(i.CancelReason) : null,
                Preimage = i.Preimage.IsEmpty ? null : Hash(i.Preimage),
            };
            var payee = Index(i.Payee);
            if (payee >= histories.Count) throw new SerializationException($"invoice of node {payee}, not in the snapshot");
            invoices.Add(new LedgerInvoiceImage(payee, i.Payer, i.FeeMsat, new InvoiceUpdate(i.Sequence, Time(i.UpdatedAtTicks), status)));
            histories[payee][status.PaymentHash] = i.History.Select(Enum<InvoiceState>).ToList();
        }
        var payments = r.Payments.Select(p => new TrackedPaymentImage(Index(p.Payer), Hash(p.PaymentHash), p.Result is { } o ? Outcome(o) : null, p.Payee)).ToList();
        var network = new NetworkImage(
            new LedgerImage(r.DepositedMsat, r.RoutingFeesMsat, accounts, invoices),
            r.Nodes.Select(n => PrivateKey.FromBytes(n.SecretKey.Span)).ToList(),
            payments);
        var nodes = r.Nodes.Select((n, i) => new HubNodeImage(n.Name, n.OpeningBalanceMsat, histories[i])).ToList();
        return new HubSnapshot(Time(r.ClockTicks), network, nodes);
    }

    private static PaymentResult Outcome(P.PaymentOutcome o) => o.Succeeded
        ? PaymentResult.Success(Hash(o.PaymentHash), o.AmountMsat, o.FeeMsat, Hash(o.Preimage))
        : PaymentResult.Failure(Hash(o.PaymentHash), o.AmountMsat, o.HasFailureReason ? Enum<PaymentFailureReason>(o.FailureReason) : throw new SerializationException("a failed payment without its reason"), o.FailureMessage);

    // ------------------------------------------------------------------ fields

    private static ByteString Bytes(Hash32 value) => ByteString.CopyFrom(value.ToArray());

    private static Hash32 Hash(ByteString bytes) => Hash32.FromSpan(bytes.Span);

    private static LightningNodeId NodeId(ByteString bytes) =>
        LightningNodeId.TryFromBytes(bytes.Span, out var id) ? id : throw new SerializationException("not a node id");

    private static DateTimeOffset Time(long ticks) =>
        ticks is >= 0 and <= 3_155_378_975_999_999_999 ? new DateTimeOffset(ticks, TimeSpan.Zero) : throw new SerializationException($"time {ticks} ticks is out of range");

    private static int Index(uint value) => value <= int.MaxValue ? (int)value : throw new SerializationException($"{value} is out of range");

    private static T Enum<T>(uint value) where T : struct, Enum =>
        value <= int.MaxValue && System.Enum.IsDefined(typeof(T), (int)value) ? (T)(object)(int)value : throw new SerializationException($"{value} is not a {typeof(T).Name}");
}
