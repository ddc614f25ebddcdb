using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Routing;

/// <summary>
/// Originator cover with one offset per payload (announce mode, docs/protocol.md D23 and D24). An originator sends
/// hops_remaining = max-hops + V, V geometric (P(V = v) ∝ keep^v, capped where the wire's 32 hops allow), and a path
/// fee of 0; every relay sends one hop less, adding its fee only at or below the maximum (above it the hops are the
/// originator's virtual ones). What the first hop sees at or above the maximum is then distributed alike for an
/// originator and a relay: a relay j hops away sends max-hops + (V − j) only when V ≥ j, and V − j given V ≥ j is
/// geometric again (memoryless), so both send max-hops + m with probability ∝ keep^m. Below the maximum the sender is
/// a relay. Unlike <see cref="OriginCover"/> (a coin per relay), every path of a payload carries the same offset V, so
/// hops_remaining orders relays by their distance from the origin: what announce mode ranks announcers by.
/// </summary>
public sealed class PayloadOriginCover(int maxHops, ulong relayFeeMsat, double keep) : IOriginCover
{
    // The largest offset the wire carries. An originator drawing it gives itself away (no relay can send it): that
    // happens with probability keep^cap, 6e-8 at keep 0.5 and the default max-hops 8.
    private readonly int _cap = Math.Max(0, WireLimits.MaxHops - maxHops);

    public (int Hops, ulong PathFeeMsat) ForOrigin(Random random)
    {
        var virtualHops = 0;
        while (virtualHops < _cap && random.NextDouble() < keep) virtualHops++;
        return (maxHops + virtualHops, 0);
    }

    public (int Hops, ulong PathFeeMsat) Onward(int hopsReceived, ulong pathFeeReceived, Random random) =>
        hopsReceived > maxHops
            ? (hopsReceived - 1, pathFeeReceived)
            : (hopsReceived - 1, checked(pathFeeReceived + relayFeeMsat));
}
