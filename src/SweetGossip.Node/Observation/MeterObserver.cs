using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Observation;

/// <summary>
/// Hands what the node's actors already report to <see cref="INodeObserver"/> on to <see cref="NodeMetrics"/>: a hosted
/// node (`sgossip node run`) runs with it, so topics, duplicate asks and proofs of work are counted where the simulator's
/// measurements are taken, without a second call in the routing code.
/// </summary>
public sealed class MeterObserver : INodeObserver
{
    public static readonly MeterObserver Instance = new();

    private MeterObserver()
    {
    }

    public void TopicAccepted(PublicKey node, PayloadId payload, PublicKey from, int hopsRemaining, DateTimeOffset at) => NodeMetrics.TopicRelayed();

    public void TopicOriginated(PublicKey node, PayloadId payload, DateTimeOffset at) => NodeMetrics.TopicOriginated();

    public void DuplicateOffered(PublicKey node, PayloadId payload, PublicKey from, DateTimeOffset at) => NodeMetrics.TopicDeduplicated(ask: true);

    public void PowSolved(PublicKey node, long hashes, DateTimeOffset at) => NodeMetrics.PowSolved(hashes);
}
