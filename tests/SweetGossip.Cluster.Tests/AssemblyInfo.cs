// Cluster tests form several ActorSystems each and mostly wait on gossip and timers (the machine sat idle through
// them): two classes at a time, no more, so a loaded 2-core machine is not starved.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]

namespace SweetGossip.Cluster.Tests
{
    /// <summary>Classes that must not run beside another (CPU-heavy ones).</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class RunsAlone
    {
        public const string Name = "runs alone";
    }
}
