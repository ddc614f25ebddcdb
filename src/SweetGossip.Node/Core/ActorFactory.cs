using SweetGossip.Node.Core;
using Akka.Actor;

namespace SweetGossip.Node.Core;

/// <summary>
/// Props from a plain factory delegate. Akka's <c>ActorFactory.Props(() => new X(…))</c> takes an expression tree
/// and builds a dynamic method per actor created: measured at over half the CPU of a simulation that
/// creates actors per topic, per reply and per payment (docs/benchmarks.md). A delegate costs nothing.
/// Local actors only: a delegate does not cross the wire. The one actor a hub deploys on other members (the PoW
/// workers of HubPowPool) is made by type, with Props.Create.
/// </summary>
public static class ActorFactory
{
    public static Props Props<TActor>(Func<TActor> create) where TActor : ActorBase =>
        Akka.Actor.Props.CreateBy(new Producer<TActor>(create));

    private sealed class Producer<TActor>(Func<TActor> create) : IIndirectActorProducer where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);

        public ActorBase Produce() => create();

        public void Release(ActorBase actor) { }
    }
}
