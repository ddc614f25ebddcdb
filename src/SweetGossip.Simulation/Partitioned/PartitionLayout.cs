using System.Globalization;

namespace SweetGossip.Simulation.Partitioned;

/// <summary>
/// Which partition runs which node (contiguous blocks of node numbers), and each node's own event count
/// (written only by the thread running that node).
/// </summary>
internal sealed class PartitionLayout
{
    private readonly int[] _partitionOf;
    private readonly long[] _sequence;

    public PartitionLayout(Partition[] partitions, int nodes)
    {
        Partitions = partitions;
        _partitionOf = new int[nodes];
        _sequence = new long[nodes];
        var per = (nodes + partitions.Length - 1) / Math.Max(1, partitions.Length);
        for (var node = 0; node < nodes; node++) _partitionOf[node] = Math.Min(partitions.Length - 1, node / Math.Max(1, per));
    }

    public Partition[] Partitions { get; }

    public int PartitionIndexOf(int node) => _partitionOf[node];

    public Partition PartitionOfNode(int node) => Partitions[_partitionOf[node]];

    public long NextSequence(int node) => _sequence[node]++;

    /// <summary>The node number of a simulated address ("n17" → 17).</summary>
    public static int NodeOf(string address) => int.Parse(address.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture);
}
