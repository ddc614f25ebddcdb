using System.Buffers.Binary;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Partitioned;

/// <summary>
/// The fresh randomness of a partitioned run (signature aux data, sealed boxes): one stream per node, each word a
/// hash of (run's stream, node, words that node drew before), so a node's n-th draw is the same bytes whichever
/// thread runs it and whatever ran in between, and a node never draws the same bytes twice. More streams follow
/// the nodes': the merge's (work done between windows, in stamp order), then one per partition (work of no node
/// before the partition's first node ran). The counts are the only state: 8 bytes a stream, each written only by
/// the thread running that node (or by the merge, while no partition runs).
/// </summary>
internal sealed class NodeFreshness(ulong root, int nodes, int partitions)
{
    private readonly long[] _drawn = new long[nodes + 1 + partitions];

    /// <summary>The stream of the work done between windows.</summary>
    public int MergeStream => nodes;

    /// <summary>The stream of a partition's work of no node, until one of its nodes runs.</summary>
    public int PartitionStream(int partition) => nodes + 1 + partition;

    /// <summary>A thread's view: the stream of the node it runs now (set before each of that node's work items).</summary>
    public Cursor NewCursor(int stream) => new(this, stream);

    private void Fill(int stream, Span<byte> destination)
    {
        var key = StableHash.Combine(root, (ulong)stream);
        ref var drawn = ref _drawn[stream];
        Span<byte> word = stackalloc byte[sizeof(ulong)];
        for (var at = 0; at < destination.Length; at += word.Length)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(word, StableHash.Combine(key, (ulong)drawn++));
            word[..Math.Min(word.Length, destination.Length - at)].CopyTo(destination[at..]);
        }
    }

    /// <summary>Draws from <see cref="Stream"/>; one per thread.</summary>
    internal sealed class Cursor(NodeFreshness owner, int stream) : Entropy
    {
        public int Stream { get; set; } = stream;

        protected override void Fill(Span<byte> destination) => owner.Fill(Stream, destination);
    }
}
