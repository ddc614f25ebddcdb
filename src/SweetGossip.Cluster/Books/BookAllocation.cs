using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace SweetGossip.Cluster.Books;

/// <summary>
/// A book starts on the member that first asks for it (its own member: settlement stays local while that member
/// lives); one asked for by the coordinator itself (a remembered book whose member died) goes to the member with the
/// fewest books. Books are never rebalanced: moving one restarts its actor and interrupts its Lightning calls for
/// nothing, since any member reaches it through its region.
/// </summary>
internal sealed class BookAllocation : IShardAllocationStrategy
{
    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        if (currentShardAllocations.ContainsKey(requester))
            return Task.FromResult(requester);
        var fewest = currentShardAllocations.OrderBy(a => a.Value.Count).ThenBy(a => a.Key.Path.ToString(), StringComparer.Ordinal).First().Key;
        return Task.FromResult(fewest);
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
}
