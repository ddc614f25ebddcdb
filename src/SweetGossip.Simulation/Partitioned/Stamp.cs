namespace SweetGossip.Simulation.Partitioned;

/// <summary>
/// Where an event sits in a partitioned run's one fixed order: virtual time, then the node that caused it,
/// then that node's own count. None of the three depends on which thread ran the node, so sorting by it
/// merges the partitions' work the same way for any number of threads.
/// </summary>
internal readonly record struct Stamp(long Ticks, int Node, long Sequence) : IComparable<Stamp>
{
    public int CompareTo(Stamp other)
    {
        var c = Ticks.CompareTo(other.Ticks);
        if (c != 0) return c;
        c = Node.CompareTo(other.Node);
        return c != 0 ? c : Sequence.CompareTo(other.Sequence);
    }
}

/// <summary>Work stamped for the merge at a window's end.</summary>
internal readonly record struct Stamped(Stamp Stamp, Action Apply);

/// <summary>A message between nodes, stamped with its arrival, for the partition <paramref name="ToPartition"/>.</summary>
internal readonly record struct Parcel(Stamp Stamp, int ToPartition, Action Deliver);
