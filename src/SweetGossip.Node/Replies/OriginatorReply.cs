using Akka.Actor;
using Akka.Event;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Replies;

namespace SweetGossip.Node.Replies;

/// <summary>
/// The customer's side of one job offer, up to paying: check the sealed header (certified replier, signed
/// commitment matching what arrived), check the invoice (the committed payment hash, the neighbour's own
/// Lightning node, within the auto-pay limit and the path-fee caps), pay if it is the topic's first acceptable
/// offer. The payment goes through settlement with the reply journaled first; opening and delivering the paid
/// reply is <see cref="ReplyDelivery"/>'s, whether the payment ends now or after a restart.
/// </summary>
public sealed class OriginatorReply : ReceiveActor
{
    public sealed record WantToPay
    {
        public static readonly WantToPay Instance = new();
    }

    public sealed record PayGranted
    {
        public static readonly PayGranted Instance = new();
    }

    public sealed record PayDenied
    {
        public static readonly PayDenied Instance = new();
    }

    private readonly NodeSettings _settings;
    private readonly TimeProvider _clock;
    private readonly IActorRef _node;
    private readonly IActorRef _settlement;
    private readonly SignedRequestPayload _request;
    private readonly PrivateKey _replyKey;
    private readonly Reply _reply;
    private readonly PublicKey _neighbour;
    private readonly LightningNodeId? _neighbourLightning;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ReplyHeader? _header;
    private ulong _totalMsat;

    public OriginatorReply(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, SignedRequestPayload request, PrivateKey replyKey, Reply reply,
        PublicKey neighbour, LightningNodeId? neighbourLightning)
    {
        (_settings, _clock, _node, _settlement, _request, _replyKey, _reply) = (settings, clock, node, settlement, request, replyKey, reply);
        (_neighbour, _neighbourLightning) = (neighbour, neighbourLightning);
        CheckingTerms();
    }

    public static Props Props(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, SignedRequestPayload request, PrivateKey replyKey, Reply reply,
        PublicKey neighbour, LightningNodeId? neighbourLightning) =>
        ActorFactory.Props(() => new OriginatorReply(settings, clock, node, settlement, request, replyKey, reply, neighbour, neighbourLightning));

    protected override void PreStart()
    {
        try
        {
            _header = ReplyOpener.OpenHeader(_reply, _replyKey, _settings.Trusted, _clock.GetUtcNow());
        }
        catch (ReplyRejectedException e)
        {
            Done($"offer refused before paying: {e.Message}");
            return;
        }
        if (_neighbourLightning is null)
        {
            Blame("sent an offer to pay without announcing its Lightning node");
            return;
        }
        // The invoice is read by this node's Lightning node (a real one, or the embedded one's unsigned invoices).
        _settlement.Tell(new DecodeInvoice(_reply.Invoice));
    }

    private void CheckingTerms()
    {
        Receive<DecodedPaymentRequest>(invoice =>
        {
            if (RefuseOffer(invoice) is { } refusal)
            {
                if (refusal.Reason.BlamesTheInvoice() && refusal.Reason != SettlementRefusal.AmountAboveLimit)
                    Blame($"offer's invoice refused: {refusal}");
                else
                    Done($"offer refused: {refusal}");
                return;
            }
            _totalMsat = invoice.AmountMsat;
            Context.Parent.Tell(WantToPay.Instance);
            Become(Deciding);
        });
        Receive<SettlementRejected>(r => Blame($"offer's invoice unreadable: {r}"));
        Receive<FrameReceived>(_ => { });
    }

    /// <summary>Why this offer's invoice is not paid, or null: hash, payee, auto-pay limit, then the relay fees on top of the signed price.</summary>
    private Refusal? RefuseOffer(DecodedPaymentRequest invoice)
    {
        var terms = new PaymentTerms(MaxAmountMsat: _settings.AutoPayMaxMsat, Payee: _neighbourLightning, PaymentHash: _reply.PaymentHash);
        if (terms.Check(invoice, _clock.GetUtcNow()) is { } refusal) return refusal;
        var price = _header!.Commitment.ReplierPriceMsat;
        if (invoice.AmountMsat < price)
            return new Refusal(SettlementRefusal.AmountMismatch, $"the invoice asks {invoice.AmountMsat} msat, less than the replier's signed price {price}");
        var pathFee = invoice.AmountMsat - price;
        var perHopCap = _settings.MaxRelayFeeMsat > ulong.MaxValue / (ulong)Math.Max(1, _settings.MaxHops)
            ? ulong.MaxValue : _settings.MaxRelayFeeMsat * (ulong)Math.Max(1, _settings.MaxHops);
        if (pathFee > _settings.MaxPathFeeMsat)
            return new Refusal(SettlementRefusal.AmountAboveLimit, $"the middlemen ask {pathFee} msat in all, above max-path-fee-msat ({_settings.MaxPathFeeMsat})");
        if (pathFee > perHopCap)
            return new Refusal(SettlementRefusal.AmountAboveLimit, $"the middlemen ask {pathFee} msat, above max-relay-fee-msat x max-hops ({perHopCap})");
        return null;
    }

    private void Deciding()
    {
        Receive<PayGranted>(_ =>
        {
            var terms = new PaymentTerms(ExactAmountMsat: _totalMsat, Payee: _neighbourLightning, PaymentHash: _reply.PaymentHash);
            _settlement.Tell(new PayInvoice(_reply.Invoice, terms, new ReplyPurchase(_request, _replyKey, _reply)));
            // A held payment can take as long as the reply's invoice lives; delivery does not depend on this actor.
            SetReceiveTimeout(_settings.ReplyInvoiceExpiry);
            Become(Paying);
        });
        Receive<PayDenied>(_ => Done("another offer for this topic was already paid"));
        Receive<FrameReceived>(_ => { });
    }

    private void Paying()
    {
        Receive<PaymentCompleted>(c =>
        {
            // Paid: the neighbour owes this node its ThankYou (the topic waits for it).
            if (c.Result.Succeeded) Context.Parent.Tell(new ReplyPaidDownstream(_reply.PaymentHash));
            Done(c.Result.Succeeded ? $"paid {c.Result.AmountMsat + c.Result.FeeMsat} msat" : $"payment failed: {c.Result}");
        });
        Receive<SettlementRejected>(r => Done($"payment refused: {r}"));
        Receive<ReceiveTimeout>(_ => Done("stopped waiting for the payment's end (settlement finishes it and delivers the reply if paid)"));
        Receive<FrameReceived>(_ => { }); // ThankYou and Ack go to the delivery
    }

    private void Blame(string reason)
    {
        _node.Tell(new ReportPeer(_neighbour, PeerBehaviour.InvalidFrame, reason));
        Done(reason);
    }

    private void Done(string reason)
    {
        _log.Info("offer for {0}: {1}", _reply.PayloadId, reason);
        Context.Stop(Self);
    }
}
