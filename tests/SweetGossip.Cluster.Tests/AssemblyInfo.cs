// Cluster tests form several ActorSystems each and mostly wait on gossip and timers (the machine sat idle through
// them): two classes at a time, no more, so a loaded 2-core machine is not starved.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
