using SweetGossip.Node.Observation;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Simulation.Partitioned;

/// <summary>
/// What the nodes of a partitioned run report, kept in their partition's list during a window and passed to
/// the one real observer between windows in stamp order (time, node, node's count): the metrics see the
/// same sequence of reports for any number of threads, and only ever one thread.
/// </summary>
internal sealed class BufferedObserver(INodeObserver inner, PartitionLayout layout, IReadOnlyDictionary<PublicKey, int> nodes, DateTimeOffset start,
    Diagnostics.EntropyTrace? trace = null) : INodeObserver
{
    private void Buffer(PublicKey node, DateTimeOffset at, Action apply)
    {
        var n = nodes[node];
        var partition = layout.PartitionOfNode(n);
        // Under a lock, and counted when not on the partition's thread: a report from another thread raced the plain list
        // and its node's count (two nodes that shared an identity key did, issue 13 item 4; see NodeSeeds).
        lock (partition.Observations)
        {
            if (partition.Runner is { } runner && runner != Thread.CurrentThread) partition.ForeignObservations++;
            partition.Observations.Add(new Stamped(new Stamp((at - start).Ticks, n, layout.NextSequence(n)), apply));
        }
    }

    public void TopicAccepted(PublicKey node, PayloadId payload, PublicKey from, int hopsRemaining, DateTimeOffset at) =>
        Buffer(node, at, () => inner.TopicAccepted(node, payload, from, hopsRemaining, at));

    public void TopicOriginated(PublicKey node, PayloadId payload, DateTimeOffset at) =>
        Buffer(node, at, () => inner.TopicOriginated(node, payload, at));

    public void DuplicateOffered(PublicKey node, PayloadId payload, PublicKey from, DateTimeOffset at) =>
        Buffer(node, at, () => inner.DuplicateOffered(node, payload, from, at));

    public void FrameSent(PublicKey node, PublicKey to, string frame, PayloadId? payload, int bytes, DateTimeOffset at) =>
        Buffer(node, at, () => inner.FrameSent(node, to, frame, payload, bytes, at));

    public void PeerScored(PublicKey node, PublicKey peer, PeerBehaviour behaviour, double score, bool banned, DateTimeOffset at) =>
        Buffer(node, at, () => inner.PeerScored(node, peer, behaviour, score, banned, at));

    public void DifficultyChanged(PublicKey node, PublicKey peer, int bits, bool thanked, DateTimeOffset at) =>
        Buffer(node, at, () => inner.DifficultyChanged(node, peer, bits, thanked, at));

    public void PowSolved(PublicKey node, long hashes, DateTimeOffset at)
    {
        // Diagnostic (SGOSSIP_ENTROPY_TRACE): a proof reported by its node, and again when the merge passes it on.
        trace?.Pow("reported", nodes[node], (at - start).Ticks, hashes);
        Buffer(node, at, () =>
        {
            trace?.Pow("applied", nodes[node], (at - start).Ticks, hashes);
            inner.PowSolved(node, hashes, at);
        });
    }

    public void Payment(PublicKey node, PaymentSide side, ulong msat, DateTimeOffset at) =>
        Buffer(node, at, () => inner.Payment(node, side, msat, at));

    public void ReplyDelivered(PublicKey node, PayloadId payload, PublicKey replier, bool ackConfirmed, DateTimeOffset at) =>
        Buffer(node, at, () => inner.ReplyDelivered(node, payload, replier, ackConfirmed, at));
}
