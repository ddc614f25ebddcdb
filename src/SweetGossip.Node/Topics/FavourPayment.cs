using SweetGossip.Node.Core;
using Akka.Actor;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Topics;

/// <summary>
/// The outcome of paying one Lightning favour of <paramref name="PriceMsat"/>: <see cref="PaymentCompleted"/>, or why it
/// was not paid. <paramref name="MayStillPay"/>: given up waiting, the payment may yet complete (nothing to refund).
/// </summary>
public sealed record FavourPaid(PublicKey Peer, FavourId FavourId, ulong PriceMsat, PaymentCompleted? Completed, SettlementRejected? Rejected, bool MayStillPay = false);

/// <summary>
/// Pays one Lightning favour's invoice through the settlement actor, which checks it against the conditions
/// first (exact price, the peer's announced node, not expired, hash never paid), and tells its topic how it
/// ended. Gives up after the favour's validity: a late payment buys a favour that can no longer be redeemed.
/// Its own actor (not an Ask) so the answer arrives as a plain message (simulations stay repeatable).
/// </summary>
public sealed class FavourPayment : ReceiveActor
{
    private readonly IActorRef _settlement;
    private readonly PayInvoice _payment;

    public FavourPayment(IActorRef settlement, PayInvoice payment, PublicKey peer, FavourId favourId, ulong priceMsat, TimeSpan patience)
    {
        (_settlement, _payment) = (settlement, payment);
        Receive<PaymentCompleted>(c => Report(new FavourPaid(peer, favourId, priceMsat, c, null)));
        Receive<SettlementRejected>(r => Report(new FavourPaid(peer, favourId, priceMsat, null, r)));
        Receive<ReceiveTimeout>(_ => Report(new FavourPaid(peer, favourId, priceMsat, null,
            new SettlementRejected(nameof(PayInvoice), SettlementRefusal.LightningFailure, $"the favour's payment did not end within {patience}"), MayStillPay: true)));
        SetReceiveTimeout(patience);
    }

    public static Props Props(IActorRef settlement, PayInvoice payment, PublicKey peer, FavourId favourId, ulong priceMsat, TimeSpan patience) =>
        ActorFactory.Props(() => new FavourPayment(settlement, payment, peer, favourId, priceMsat, patience));

    protected override void PreStart() => _settlement.Tell(_payment);

    private void Report(FavourPaid paid)
    {
        Context.Parent.Tell(paid);
        Context.Stop(Self);
    }
}
