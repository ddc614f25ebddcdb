using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Metrics;

/// <summary>
/// One peer over the whole run. <see cref="TopicsReceived"/>: topics it got at least once (not its own);
/// <see cref="CopiesReceived"/>: every copy of every topic, first ones included;
/// <see cref="DuplicatesReceived"/>: copies beyond the first (a topic coming back to its origin is all duplicates).
/// </summary>
public sealed record PeerStats(
    int Node,
    PeerKind Kind,
    bool Honest,
    int TopicsReceived,
    long CopiesReceived,
    long DuplicatesReceived,
    long FramesSent,
    long BytesSent,
    long FramesReceived,
    long BytesReceived,
    long PowHashes,
    int RepliesSent,
    int RepliesReceived,
    RoleAmounts Earned,
    RoleAmounts Paid)
{
    public long NetMsat => Earned.TotalMsat - Paid.TotalMsat;
}
