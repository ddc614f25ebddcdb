namespace SweetGossip.Node.Routing;

/// <summary>
/// The hops_remaining and path_fee_msat a node sends, chosen so that a topic's first hop cannot tell whether its
/// sender originated the topic or relayed it (docs/protocol.md D23).
/// </summary>
public interface IOriginCover
{
    /// <summary>hops_remaining and path_fee_msat for a topic this node originates.</summary>
    (int Hops, ulong PathFeeMsat) ForOrigin(Random random);

    /// <summary>hops_remaining and path_fee_msat for passing on a broadcast that arrived with these.</summary>
    (int Hops, ulong PathFeeMsat) Onward(int hopsReceived, ulong pathFeeReceived, Random random);
}
