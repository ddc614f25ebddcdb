using Akka.Actor;
using Akka.Event;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Replies;

namespace SweetGossip.Node.Replies;

/// <summary>
/// Opens a paid reply with the preimage its payment returned, validates it directly with the replier
/// (Validate/Ack, bounded by a timeout), hands it to the node's subscribers and tells settlement it is
/// delivered. Spawned by the node for every <see cref="ReplyPaid"/>, so a reply paid before or during a
/// crash is delivered after the restart from what settlement journaled.
/// </summary>
public sealed class ReplyDelivery : ReceiveActor, IWithTimers
{
    private readonly IActorRef _node;
    private readonly IActorRef _settlement;
    private readonly ReplyPaid _paid;
    private readonly TimeSpan _ackTimeout;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ReplyDelivery(IActorRef node, IActorRef settlement, ReplyPaid paid, TimeSpan ackTimeout)
    {
        (_node, _settlement, _paid, _ackTimeout) = (node, settlement, paid, ackTimeout);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef node, IActorRef settlement, ReplyPaid paid, TimeSpan ackTimeout) =>
        ActorFactory.Props(() => new ReplyDelivery(node, settlement, paid, ackTimeout));

    public static string NameFor(Reply reply) => "delivery-" + reply.PaymentHash.ToHex()[..16];

    protected override void PreStart()
    {
        var (purchase, preimage) = (_paid.Purchase, _paid.Preimage);
        var reply = purchase.Reply;
        ReplyHeader header;
        ReplyBody body;
        try
        {
            // The certificate's standing was checked before paying; the signed commitment is checked again.
            header = ReplyOpener.OpenSignedHeader(reply, purchase.ReplyKey);
            body = ReplyOpener.OpenBody(reply, purchase.ReplyKey, preimage, purchase.Request);
        }
        catch (ReplyRejectedException e)
        {
            // Paid for garbage: the evidence (reply, preimage, reply key) proves it to the replier's authority.
            _log.Error("paid reply for {0} does not open: {1}; fraud evidence kept in the settlement journal", reply.PayloadId, e.Message);
            Finish();
            return;
        }
        if (_paid.AlreadyDelivered)
        {
            _node.Tell(new ReplyDelivered(reply.PayloadId, body.Message, body.ContactAddress, header.ReplierCertificate, _paid.PaidMsat, AckConfirmed: false, Recovered: true));
            Context.Stop(Self);
            return;
        }
        _node.Tell(new SendDirect(body.ContactAddress, ReplyOpener.Validation(reply, preimage), header.ReplierCertificate.Body.Subject));
        // A timer, not a receive timeout: frames from peers (forged Acks) must not push the deadline back.
        Timers.StartSingleTimer("ack", AckOverdue.Instance, _ackTimeout);
        Become(() => Validating(reply, header, body));
    }

    private sealed record AckOverdue
    {
        public static readonly AckOverdue Instance = new();
    }

    private void Validating(Reply reply, ReplyHeader header, ReplyBody body)
    {
        var bodyHash = reply.SealedBody.Sha256();
        Receive<FrameReceived>(f => f.Frame is Ack a && a.SealedBodyHash == bodyHash, f =>
        {
            // Anyone can send an Ack naming this body: only the replier's signature ends the validation.
            if (ReplyOpener.AckConfirms((Ack)f.Frame, reply, header))
            {
                Deliver(header, body, ackConfirmed: true);
                return;
            }
            _node.Tell(new ReportPeer(f.Peer, PeerBehaviour.InvalidFrame, $"Ack for payload {reply.PayloadId} not signed by its replier"));
        });
        Receive<AckOverdue>(_ => Deliver(header, body, ackConfirmed: false));
        ReceiveAny(_ => { });
    }

    private void Deliver(ReplyHeader header, ReplyBody body, bool ackConfirmed)
    {
        _node.Tell(new ReplyDelivered(_paid.Purchase.Reply.PayloadId, body.Message, body.ContactAddress, header.ReplierCertificate, _paid.PaidMsat, ackConfirmed));
        Finish();
    }

    private void Finish()
    {
        if (!_paid.AlreadyDelivered) _settlement.Tell(new MarkReplyDelivered(_paid.Purchase.Reply.PaymentHash));
        Context.Stop(Self);
    }
}
