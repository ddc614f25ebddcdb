using Akka.Actor;
using SweetGossip.Lightning.Bolt11;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;

namespace SweetGossip.Daemon.Control;

/// <summary>What the control endpoint does, apart from HTTP: asks the node's actors and shapes the answers.</summary>
public sealed class ControlApi(ListeningNode node, IActorRef replyLog, string lightningKind, TimeProvider clock)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    // A topic's request lives as long as its pickup window, within the protocol's bounds.
    private static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    private ILightningNode Lightning => node.Running.Lightning;

    public async Task<StatusView> StatusAsync()
    {
        var status = await node.Running.Node.Ask<NodeStatus>(GetNodeStatus.Instance, AskTimeout);
        var balance = await Lightning.GetBalanceAsync();
        return new StatusView(status.Identity.ToHex(), node.Listening.Address, node.Settings.ContactAddress, status.Peers,
            status.TopicsInFlight, status.PayloadsSeen, status.FavoursOpen, lightningKind, balance.AvailableMsat, status.Maps);
    }

    /// <exception cref="ControlRequestException">The request is incomplete or describes no valid taxi topic.</exception>
    public async Task<TopicView> BroadcastTaxiAsync(TaxiTopicRequest request)
    {
        var now = clock.GetUtcNow();
        TaxiTopic topic;
        try
        {
            var latitude = request.Lat ?? throw new ControlRequestException("lat: required");
            var longitude = request.Lon ?? throw new ControlRequestException("lon: required");
            RequestValues.CheckCoordinate(latitude, 90, "lat");
            RequestValues.CheckCoordinate(longitude, 180, "lon");
            topic = TaxiTopic.Create(latitude, longitude, request.Precision ?? 7,
                RequestValues.ParseTime(request.After ?? "now", now, "after"), RequestValues.ParseTime(request.Before ?? "now+1h", now, "before"), now);
        }
        catch (Exception e) when (e is FormatException or TopicValidationException)
        {
            throw new ControlRequestException(e.Message);
        }
        var lifetime = topic.PickupBefore - now;
        lifetime = lifetime < MinLifetime ? MinLifetime : lifetime > MaxLifetime ? MaxLifetime : lifetime;
        var originated = await node.Running.Node.Ask<TopicOriginated>(new OriginateTopic(topic, lifetime), AskTimeout);
        return new TopicView(originated.PayloadId.ToString(), topic.PickupGeohash, topic.PickupAfter.ToString("O"),
            topic.PickupBefore.ToString("O"), originated.Request.Payload.ExpiresAt.ToString("O"));
    }

    /// <summary>An invoice of this node, settled as soon as it is paid (a plain payment, not a hold).</summary>
    /// <exception cref="ControlRequestException">No or a zero amount.</exception>
    public async Task<LnInvoiceView> InvoiceAsync(LnInvoiceRequest request)
    {
        if (request.AmountSat is not ({ } sats and > 0))
            throw new ControlRequestException("amount_sat: required and above zero");
        var preimage = Hash32.Random();
        var expiry = TimeSpan.FromSeconds(request.ExpirySeconds ?? 3600);
        // The preimage is journaled before the invoice exists; settlement settles it as soon as it is paid.
        var answer = await node.Running.Settlement.Ask<object>(
            IssueInvoice.Settled(preimage, sats * 1000, request.Memo ?? "", expiry, 40), AskTimeout);
        if (answer is not InvoiceIssued issued)
            throw new ControlRequestException(answer is SettlementRejected r ? Describe(r) : $"unexpected answer {answer}");
        return new LnInvoiceView(issued.Invoice.PaymentRequest, issued.Invoice.PaymentHash.ToHex(), issued.Invoice.AmountMsat, issued.Invoice.ExpiresAt.ToString("O"));
    }

    /// <summary>Pays through this node's settlement actor (journaled), waiting for the final result.</summary>
    /// <exception cref="ControlRequestException">No payment request, or one this node refuses.</exception>
    public async Task<LnPaymentView> PayAsync(LnPayRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.PaymentRequest))
            throw new ControlRequestException("payment_request: required");
        var answer = await node.Running.Settlement.Ask<object>(new PayInvoice(request.PaymentRequest.Trim()), PaymentTimeout);
        return answer switch
        {
            PaymentCompleted { Result: var r } => new LnPaymentView(r.Succeeded ? "succeeded" : "failed", r.PaymentHash.ToHex(), r.AmountMsat, r.FeeMsat,
                r.Preimage?.ToHex(), r.Succeeded ? null : $"{r.FailureReason}: {r.FailureMessage}"),
            SettlementRejected rejected => throw new ControlRequestException(Describe(rejected)),
            _ => throw new ControlRequestException($"unexpected answer {answer}"),
        };
    }

    /// <summary>How long <see cref="PayAsync"/> waits for a payment's final state.</summary>
    public static readonly TimeSpan PaymentTimeout = TimeSpan.FromMinutes(2);

    public async Task<RepliesView> RepliesAsync()
    {
        var snapshot = await replyLog.Ask<ReplyLogSnapshot>(ReplyLog.Get.Instance, AskTimeout);
        return new RepliesView(snapshot.Entries.Select(View).ToList());
    }

    private static ReplyView View(ReplyLogEntry entry) => entry.Reply switch
    {
        ReplyArrived a => new ReplyView(entry.At.ToString("O"), "arrived", a.PayloadId.ToString(), Via: a.Via.ToHex(), InvoiceMsat: AmountOf(a.Invoice)),
        ReplyDelivered d => new ReplyView(entry.At.ToString("O"), "delivered", d.PayloadId.ToString(), Message: d.Message,
            ContactAddress: d.ContactAddress, Replier: d.Replier.Body.Name, PaidMsat: d.PaidMsat, AckConfirmed: d.AckConfirmed, Recovered: d.Recovered ? true : null),
        _ => new ReplyView(entry.At.ToString("O"), "unknown", ""),
    };

    private static string Describe(SettlementRejected rejected) => $"{rejected.Detail} ({rejected.Reason})";

    private static ulong? AmountOf(string invoice)
    {
        try
        {
            return Bolt11Codec.Decode(invoice).AmountMsat;
        }
        catch (Bolt11FormatException)
        {
            return null;
        }
    }
}
