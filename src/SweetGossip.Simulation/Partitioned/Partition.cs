using SweetGossip.Simulation.Runtime;

namespace SweetGossip.Simulation.Partitioned;

/// <summary>
/// One thread's share of a partitioned run: its own actor system (run queue, virtual-time scheduler,
/// journal) and what its nodes produced during the current window for others: messages to deliver,
/// observations to record, Lightning calls to make. Only its own thread writes these lists during a window;
/// the coordinator reads and clears them between windows.
/// </summary>
internal sealed class Partition(int index, SimulatedActorSystem sim)
{
    public int Index { get; } = index;

    public SimulatedActorSystem Sim { get; } = sim;

    public List<Parcel> Outbox { get; } = [];

    public List<Stamped> Observations { get; } = [];

    public List<Stamped> LightningCalls { get; } = [];

    /// <summary>The thread running this partition now: its own during a window, the coordinator's during the merge (null in set-up).</summary>
    public Thread? Runner { get; set; }

    /// <summary>Reports of its nodes made on a thread other than <see cref="Runner"/> (none is expected; each would race its list).</summary>
    public long ForeignObservations { get; set; }

    /// <summary>Virtual time now on this partition.</summary>
    public long NowTicks => Sim.Elapsed.Ticks;
}
