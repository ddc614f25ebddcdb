// Cluster tests form several ActorSystems each; run one class at a time so they do not starve each other on 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
