using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;

namespace SweetGossip.Simulation.Adversaries;

/// <summary>
/// Stands for one link's connection in front of the attacker's own node: what the node sends to that peer
/// passes through here, and the frames the attack withholds go no further. Everything else (scores the
/// node reports) reaches the real connection unchanged.
/// </summary>
internal sealed class LinkTap : ReceiveActor
{
    public LinkTap(IActorRef connection, AttackRules rules, TimeProvider clock)
    {
        Receive<SendFrame>(s =>
        {
            if (!rules.Withholds(s.Frame, clock.GetUtcNow())) connection.Forward(s);
        });
        ReceiveAny(connection.Forward);
    }

    public static Props Props(IActorRef connection, AttackRules rules, TimeProvider clock) =>
        ActorFactory.Props(() => new LinkTap(connection, rules, clock));
}
