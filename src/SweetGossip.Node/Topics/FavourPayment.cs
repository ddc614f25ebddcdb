using SweetGossip.Node.Core;
using Akka.Actor;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Topics;

/// <summary>The outcome of paying one Lightning favour: <see cref="PaymentCompleted"/> or <see cref="SettlementRejected"/>.</summary>
public sealed record FavourPaid(PublicKey Peer, FavourId FavourId, object Result);

/// <summary>
/// Pays one Lightning favour's invoice through the settlement actor and tells its topic how it ended.
/// Its own actor (not an Ask) so the answer arrives as a plain message: no task continuation, nothing
/// that could run off the actor's thread (simulations stay repeatable).
/// </summary>
public sealed class FavourPayment : ReceiveActor
{
    private readonly IActorRef _settlement;
    private readonly string _invoice;

    public FavourPayment(IActorRef settlement, string invoice, PublicKey peer, FavourId favourId)
    {
        (_settlement, _invoice) = (settlement, invoice);
        Receive<PaymentCompleted>(c => Report(new FavourPaid(peer, favourId, c)));
        Receive<SettlementRejected>(r => Report(new FavourPaid(peer, favourId, r)));
    }

    public static Props Props(IActorRef settlement, string invoice, PublicKey peer, FavourId favourId) =>
        ActorFactory.Props(() => new FavourPayment(settlement, invoice, peer, favourId));

    protected override void PreStart() => _settlement.Tell(new PayInvoice(_invoice));

    private void Report(FavourPaid paid)
    {
        Context.Parent.Tell(paid);
        Context.Stop(Self);
    }
}
