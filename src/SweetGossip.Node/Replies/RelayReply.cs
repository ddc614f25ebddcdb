using Akka.Actor;
using Akka.Event;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Node.Replies;

/// <summary>
/// A middleman's part in carrying one reply back: open the relay in settlement (an upstream hold invoice
/// under the same payment hash, for downstream's amount plus this node's fee), pass the Reply upstream
/// with that invoice, then thank upstream once the preimage is known. Money moves only in settlement,
/// which checks the downstream invoice first (it pays the downstream peer's announced node, under the
/// reply's hash, at least the replier's price) and pays downstream only after upstream's payment is locked.
/// </summary>
public sealed class RelayReply : ReceiveActor, IWithUnboundedStash
{
    private readonly NodeSettings _settings;
    private readonly TimeProvider _clock;
    private readonly IActorRef _node;
    private readonly IActorRef _settlement;
    private readonly Reply _reply;
    private readonly PublicKey _upstream;
    private readonly PublicKey _downstream;
    private readonly LightningNodeId? _downstreamLightning;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _thanked;

    public RelayReply(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, Reply reply, PublicKey upstream, PublicKey downstream, LightningNodeId? downstreamLightning)
    {
        (_settings, _clock, _node, _settlement, _reply, _upstream) = (settings, clock, node, settlement, reply, upstream);
        (_downstream, _downstreamLightning) = (downstream, downstreamLightning);
        Receive<RelayOpened>(opened =>
        {
            _node.Tell(new SendToPeer(_upstream, _reply with { Invoice = opened.UpstreamInvoice.PaymentRequest }));
            Become(Carrying);
        });
        Receive<SettlementRejected>(r =>
        {
            if (r.Reason.BlamesTheInvoice())
                _node.Tell(new ReportPeer(_downstream, PeerBehaviour.InvalidFrame, $"reply invoice refused: {r.Reason}: {r.Detail}"));
            GiveUp($"relay refused: {r}");
        });
        // The reply's fate (settled, cancelled) comes from settlement; it may outlast the relay's opening answer.
        Receive<InvoiceChanged>(_ => Stash.Stash());
        Receive<PreimageLearned>(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(NodeSettings settings, TimeProvider clock, IActorRef node, IActorRef settlement, Reply reply, PublicKey upstream, PublicKey downstream, LightningNodeId? downstreamLightning) =>
        ActorFactory.Props(() => new RelayReply(settings, clock, node, settlement, reply, upstream, downstream, downstreamLightning));

    protected override void PreStart()
    {
        if (_downstreamLightning is not { } payee)
        {
            _node.Tell(new ReportPeer(_downstream, PeerBehaviour.InvalidFrame, "sent a reply to pay without announcing its Lightning node"));
            GiveUp("the downstream peer announced no Lightning node");
            return;
        }
        _settlement.Tell(new WatchPayment(_reply.PaymentHash, Self));
        var expected = new PaymentTerms(MinAmountMsat: _reply.ReplierPriceMsat, Payee: payee, PaymentHash: _reply.PaymentHash);
        _settlement.Tell(new RelayPayment(_reply.Invoice, new RelayTerms(_settings.RelayFeeMsat, _settings.ReplyInvoiceExpiry, Memo: "sweetgossip relay"), expected));
    }

    private void Carrying()
    {
        Receive<PreimageLearned>(p => p.PaymentHash == _reply.PaymentHash, p =>
        {
            if (_thanked) return;
            _thanked = true;
            // Downstream was paid: it owes this node a ThankYou, as this node now owes upstream one.
            Context.Parent.Tell(new ReplyPaidDownstream(_reply.PaymentHash));
            _node.Tell(new SendToPeer(_upstream, new ThankYou(_reply.PayloadId, p.Preimage)));
        });
        Receive<InvoiceChanged>(c => c.PaymentHash == _reply.PaymentHash && c.State == RecordedInvoiceState.Settled, _ =>
        {
            _settings.Observer.Payment(_settings.Identity.PublicKey, Observation.PaymentSide.MiddlemanEarned, _settings.RelayFeeMsat, _clock.GetUtcNow());
            Context.Parent.Tell(new ReplyRelayEnded(_reply.PaymentHash, UpstreamPaid: true));
            Context.Stop(Self);
        });
        Receive<InvoiceChanged>(c => c.PaymentHash == _reply.PaymentHash && c.State == RecordedInvoiceState.Cancelled, _ =>
        {
            // Carried a reply that was never paid for: the topic judges upstream once all its replies have ended.
            Context.Parent.Tell(new ReplyRelayEnded(_reply.PaymentHash, UpstreamPaid: false));
            Context.Stop(Self);
        });
        ReceiveAny(_ => { });
        Stash.UnstashAll();
    }

    private void GiveUp(string reason)
    {
        _log.Info("not relaying reply for {0}: {1}", _reply.PayloadId, reason);
        Context.Parent.Tell(new ReplyRelayEnded(_reply.PaymentHash, UpstreamPaid: false));
        Context.Stop(Self);
    }
}
