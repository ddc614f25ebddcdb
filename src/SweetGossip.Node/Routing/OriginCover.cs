namespace SweetGossip.Node.Routing;

/// <summary>
/// What a topic's first hop may learn of its sender: nothing (docs/protocol.md D23). Without this an originator
/// gives itself away by sending the maximum <c>hops_remaining</c> and a <c>path_fee_msat</c> of 0. The rule, after
/// Freenet's probabilistic decrement at the maximum HTL: an originator sends the maximum hops and a path fee of
/// <c>V</c> × its relay fee, <c>V</c> geometric (P(V = v) ∝ keep^v, capped at max-hops); a relay that receives a
/// broadcast at (or above) its maximum hops passes it on unchanged (hops and path fee as received) with probability
/// <c>keep</c>, and otherwise as every relay does (one hop less, its fee added). A broadcast arriving at the maximum
/// hops then carries the same distribution of path fees whether its sender originated it or relayed it: the
/// observation is independent of the role. Below the maximum, the sender is a relay, which reveals no originator.
/// The price: a topic travels about keep / (1 − keep) hops further, and path_fee_msat is an estimate. Each relay draws
/// on its own, so paths of one payload keep the maximum different numbers of times: hops_remaining does not order
/// relays by depth (announce mode uses <see cref="PayloadOriginCover"/> for that).
/// </summary>
public sealed class OriginCover(int maxHops, ulong relayFeeMsat, double keep) : IOriginCover
{
    public (int Hops, ulong PathFeeMsat) ForOrigin(Random random)
    {
        var virtualHops = 0;
        while (virtualHops < maxHops && random.NextDouble() < keep) virtualHops++;
        // Saturating: an operator's relay fee near 2^64 must not make originating throw in the guardian.
        var fee = relayFeeMsat == 0 || (ulong)virtualHops <= ulong.MaxValue / relayFeeMsat ? (ulong)virtualHops * relayFeeMsat : ulong.MaxValue;
        return (maxHops, fee);
    }

    public (int Hops, ulong PathFeeMsat) Onward(int hopsReceived, ulong pathFeeReceived, Random random) =>
        hopsReceived >= maxHops && random.NextDouble() < keep
            ? (hopsReceived, pathFeeReceived)
            : (hopsReceived - 1, checked(pathFeeReceived + relayFeeMsat));
}
