using Akka.Actor;
using SweetGossip.Simulation.Partitioned;

namespace SweetGossip.Simulation.Tests.Runtime;

/// <summary>
/// The partitioned run's guard: an actor of one partition's node run by another partition's queue would race that node's
/// own thread, and is counted as foreign work (the run then fails).
/// </summary>
public sealed class PartitionGuardTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private sealed class Quiet : UntypedActor
    {
        protected override void OnReceive(object message) { }
    }

    [Theory]
    [InlineData(1, 0)] // node 1 lives in partition 0 (nodes 0–1 of 4): its own queue
    [InlineData(3, 1)] // node 3 lives in partition 1: run by partition 0's queue, foreign
    public void An_actor_run_by_another_partitions_queue_than_its_nodes_is_counted(int node, long foreign)
    {
        using var engine = new PartitionedSimulation(2, 4, TimeSpan.FromMilliseconds(5), Start, "ERROR", freshRoot: 42);
        var sim = engine.Partitions[0].Sim;
        var guardian = sim.System.ActorOf(Props.Create(() => new Quiet()), "n" + node);
        sim.RunPending();
        var before = engine.ForeignEnqueues;
        guardian.Tell("hello");
        sim.RunPending();
        Assert.Equal(foreign, engine.ForeignEnqueues - before);
    }
}
