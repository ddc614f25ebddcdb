using Akka.Actor;
using Akka.Event;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Replies;

namespace SweetGossip.Node.Replies;

/// <summary>
/// The customer's side of one job offer: check the sealed header before paying (certified replier,
/// signed commitment matching what arrived), pay if it is the topic's first acceptable offer, open the
/// body with the preimage the payment returns, validate directly with the replier, and deliver it.
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

    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(30);

    private readonly NodeSettings _settings;
    private readonly TimeProvider _clock;
    private readonly IActorRef _node;
    private readonly IActorRef _settlement;
    private readonly SignedRequestPayload _request;
    private readonly PrivateKey _replyKey;
    private readonly Reply _reply;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ReplyHeader? _header;
    private ulong _paidMsat;

    public OriginatorReply(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, SignedRequestPayload request, PrivateKey replyKey, Reply reply)
    {
        (_settings, _clock, _node, _settlement, _request, _replyKey, _reply) = (settings, clock, node, settlement, request, replyKey, reply);
        CheckingTerms();
    }

    private void Deciding()
    {
        Receive<PayGranted>(_ =>
        {
            // The settlement actor answers every payment once it is final (Lightning bounds that by the invoice's expiry).
            _settlement.Tell(new PayInvoice(_reply.Invoice));
            Become(Paying);
        });
        Receive<PayDenied>(_ => Done("another offer for this topic was already paid"));
        Receive<FrameReceived>(_ => { });
    }

    public static Props Props(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, SignedRequestPayload request, PrivateKey replyKey, Reply reply) =>
        ActorFactory.Props(() => new OriginatorReply(settings, clock, node, settlement, request, replyKey, reply));

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
        // The invoice is read by this node's Lightning node (a real one, or the embedded one's unsigned invoices).
        _settlement.Tell(new DecodeInvoice(_reply.Invoice));
    }

    private void CheckingTerms()
    {
        Receive<DecodedPaymentRequest>(terms =>
        {
            if (terms.PaymentHash != _reply.PaymentHash)
            {
                Done("invoice is under another payment hash than the replier committed to");
                return;
            }
            if (terms.AmountMsat > _settings.AutoPayMaxMsat)
            {
                Done($"offer costs {terms.AmountMsat} msat in total, above the auto-pay limit");
                return;
            }
            _paidMsat = terms.AmountMsat;
            Context.Parent.Tell(WantToPay.Instance);
            Become(Deciding);
        });
        Receive<SettlementRejected>(r => Done($"invoice unreadable: {r.Reason}"));
        Receive<FrameReceived>(_ => { });
    }

    private void Paying()
    {
        Receive<PaymentCompleted>(c => c.Result.Succeeded, c =>
        {
            var preimage = c.Result.Preimage!.Value;
            ReplyBody body;
            try
            {
                body = ReplyOpener.OpenBody(_reply, _replyKey, preimage, _request);
            }
            catch (ReplyRejectedException e)
            {
                // Paid for garbage: the evidence (reply, preimage, reply key) proves it to the replier's authority.
                _log.Error("paid reply for {0} does not open: {1}; fraud evidence kept", _reply.PayloadId, e.Message);
                Context.Stop(Self);
                return;
            }
            _node.Tell(new SendDirect(body.ContactAddress, ReplyOpener.Validation(_reply, preimage)));
            SetReceiveTimeout(AckTimeout);
            Become(() => Validating(body));
        });
        Receive<PaymentCompleted>(c => Done($"payment failed: {c.Result}"));
        Receive<SettlementRejected>(r => Done($"payment refused: {r.Reason}"));
        Receive<Status.Failure>(f => Done($"payment did not finish: {f.Cause.Message}"));
        Receive<FrameReceived>(_ => { }); // the ThankYou receipt can overtake our payment's result
    }

    private void Validating(ReplyBody body)
    {
        Receive<FrameReceived>(f => f.Frame is Ack a && a.SealedBodyHash == _reply.SealedBody.Sha256(), f =>
            Deliver(body, ReplyOpener.AckConfirms((Ack)f.Frame, _reply, _header!)));
        Receive<ReceiveTimeout>(_ => Deliver(body, ackConfirmed: false));
        ReceiveAny(_ => { });
    }

    private void Deliver(ReplyBody body, bool ackConfirmed)
    {
        _node.Tell(new ReplyDelivered(_reply.PayloadId, body.Message, body.ContactAddress, _header!.ReplierCertificate, _paidMsat, ackConfirmed));
        Context.Stop(Self);
    }

    private void Done(string reason)
    {
        _log.Info("offer for {0}: {1}", _reply.PayloadId, reason);
        Context.Stop(Self);
    }
}
