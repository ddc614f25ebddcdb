using Akka.Actor;
using Akka.Event;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Replies;

namespace SweetGossip.Node.Replies;

/// <summary>
/// The worker's side of one job offer: seal the offer under a fresh preimage, invoice its price under
/// that payment hash, send the Reply back the way the topic came; when the chain's payment reaches the
/// invoice, settle (revealing the preimage, which pays every hop) and thank; answer the originator's
/// direct Validate with a signed Ack.
/// </summary>
public sealed class ReplierReply : ReceiveActor
{
    private readonly NodeSettings _settings;
    private readonly TimeProvider _clock;
    private readonly IActorRef _node;
    private readonly IActorRef _settlement;
    private readonly PublicKey _upstream;
    private readonly SealedReply _sealed;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ReplierReply(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, SignedRequestPayload request, PublicKey upstream, ReplyOffer offer)
    {
        (_settings, _clock, _node, _settlement, _upstream) = (settings, clock, node, settlement, upstream);
        _sealed = ReplySealer.Seal(request, offer.Message, settings.ContactAddress, offer.PriceMsat, settings.Certificate, settings.CertificateKey, settings.Entropy.NewSecret());
        Invoicing();
    }

    public static Props Props(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, SignedRequestPayload request, PublicKey upstream, ReplyOffer offer) =>
        ActorFactory.Props(() => new ReplierReply(settings, clock, node, settlement, request, upstream, offer));

    protected override void PreStart()
    {
        _settlement.Tell(new WatchPayment(_sealed.PaymentHash, Self));
        // The preimage is journaled before the invoice exists, and settlement settles as soon as it is accepted:
        // a crash at any point leaves no accepted HTLC that cannot be settled.
        _settlement.Tell(IssueInvoice.Settled(_sealed.Preimage, _sealed.PriceMsat, "sweetgossip reply", _settings.ReplyInvoiceExpiry, _settings.ReplyCltvExpiryDelta));
    }

    private void Invoicing()
    {
        Receive<InvoiceIssued>(issued =>
        {
            _node.Tell(new SendToPeer(_upstream, _sealed.ToFrame(issued.Invoice.PaymentRequest)));
            Become(AwaitingPayment);
        });
        Receive<SettlementRejected>(r => GiveUp($"could not invoice: {r}"));
        Receive<InvoiceChanged>(_ => { }); // Open: the InvoiceIssued answer follows
    }

    private void AwaitingPayment()
    {
        Receive<InvoiceChanged>(c => c.PaymentHash == _sealed.PaymentHash && c.State == RecordedInvoiceState.Cancelled, _ =>
            GiveUp("the offer was not paid before its invoice expired"));
        Receive<InvoiceChanged>(c => c.PaymentHash == _sealed.PaymentHash && c.State == RecordedInvoiceState.Settled, _ =>
        {
            _settings.Observer.Payment(_settings.Identity.PublicKey, Observation.PaymentSide.ReplierEarned, _sealed.PriceMsat, _clock.GetUtcNow());
            _node.Tell(new SendToPeer(_upstream, new ThankYou(_sealed.PayloadId, _sealed.Preimage)));
            Become(Paid);
        });
        // The originator's Validate can overtake our own settlement's answer; its preimage proves it paid.
        AnswerValidate();
        ReceiveAny(_ => { });
    }

    private void Paid()
    {
        AnswerValidate();
        ReceiveAny(_ => { });
    }

    private void AnswerValidate() => Receive<FrameReceived>(f => f.Frame is Validate, f =>
    {
        try
        {
            _node.Tell(new SendToPeer(f.Peer, ReplySealer.Acknowledge((Validate)f.Frame, _sealed, _settings.CertificateKey)));
        }
        catch (ReplyRejectedException e)
        {
            _log.Warning("validate from {0} refused: {1}", PeerConnection.Short(f.Peer), e.Message);
        }
    });

    private void GiveUp(string reason)
    {
        _log.Info("reply for {0} ends: {1}", _sealed.PayloadId, reason);
        Context.Stop(Self);
    }
}
