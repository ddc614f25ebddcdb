using Akka.Actor;

namespace SweetGossip.Node.Core;

/// <summary>
/// The root of one node's actor tree, the node's one actor under <c>/user</c>: its children are the transport (and
/// under it the peer connections), the settlement (on a hub member: a forwarder to the member's sharded book, which
/// lives in the shard region, so it cannot be the guardian's child) and the <see cref="NodeActor"/> (and under it the
/// topics, pending replies, the PoW pool, the seen-payloads journal). Stopping the guardian stops all of it.
/// <para>
/// Supervision (docs/decisions.md, "One node guardian"): a settlement that throws is restarted alone (its state is its
/// journal; recovery is its start). The node actor and the transport share state (the links and the peers they carry,
/// the port the listener bound and the contact address announced), so neither is restarted alone: if either fails, or
/// any child stops, the guardian stops, and the node with it, whole rather than half.
/// </para>
/// </summary>
public sealed class NodeGuardian : UntypedActor
{
    /// <summary>The children's names under the guardian.</summary>
    public const string NodeName = "node";
    public const string SettlementName = "settlement";
    public const string TransportName = "transport";

    // Nothing to handle (its children's ends reach it through its strategy). Untyped: one per simulated peer, no handler objects.
    protected override void OnReceive(object message) => Unhandled(message);

    public static Props Props() => ActorFactory.Props(() => new NodeGuardian());

    /// <summary>
    /// A new guardian named <paramref name="name"/> under <paramref name="parent"/> (an actor system: under /user),
    /// ready at once for <see cref="Adopt"/>. <c>system.ActorOf</c> would give a ref whose cell exists only once /user has
    /// processed its creation, which in the simulator happens only when its single thread runs; created as a child
    /// actor is (as <c>Context.ActorOf</c> does), its cell exists when this returns.
    /// </summary>
    public static IActorRef Start(IActorRefFactory parent, string name) => parent switch
    {
        ExtendedActorSystem { Guardian: ActorRefWithCell { Underlying: ActorCell user } } => user.ActorOf(Props(), name),
        _ => parent.ActorOf(Props(), name),
    };

    /// <summary>
    /// Makes <paramref name="props"/> a child of <paramref name="guardian"/> (from <see cref="Start"/>) from outside it,
    /// returning the child's ref at once (as <c>system.ActorOf</c> does for /user): a node's starter needs the refs
    /// synchronously (the simulator starts every node before its single thread runs any actor), and the children need
    /// each other's refs.
    /// </summary>
    public static IActorRef Adopt(IActorRef guardian, Props props, string name) => guardian switch
    {
        // The children container is swapped atomically: attaching from another thread is how Akka itself adds to /user.
        ActorRefWithCell { Underlying: ActorCell cell } => cell.AttachChild(props, isSystemService: false, name),
        _ => throw new InvalidOperationException($"{guardian.Path} is not a local node guardian made by NodeGuardian.Start"),
    };

    protected override SupervisorStrategy SupervisorStrategy() => new Strategy();

    /// <summary>Restarts the settlement; stops any other child that fails; and a child's end is the guardian's. Akka logs each failure.</summary>
    private sealed class Strategy() : OneForOneStrategy(Akka.Actor.SupervisorStrategy.DefaultDecider)
    {
        protected override Directive Handle(IActorRef child, Exception exception) =>
            child.Path.Name == SettlementName ? base.Handle(child, exception) : Directive.Stop;

        public override void HandleChildTerminated(IActorContext actorContext, IActorRef child, IEnumerable<IInternalActorRef> children)
        {
            // Never a half node: a transport without its node (or a node without its settlement) would hold links nobody
            // serves. Also reached while the guardian itself stops its children, where stopping it again does nothing.
            actorContext.Stop(actorContext.Self);
        }
    }
}
