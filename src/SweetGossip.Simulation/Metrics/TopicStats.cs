using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Simulation.Metrics;

/// <summary>
/// One topic. Coverage counts the interested peers (the origin excluded) that received it at least once;
/// reach counts all peers but the origin. <see cref="Coverage"/> is null when no peer was interested.
/// </summary>
public sealed record TopicStats(
    int Topic,
    int Origin,
    double OriginTimeSeconds,
    int InterestedPeers,
    int InterestedReached,
    double? Coverage,
    int PeersReached,
    double Reach,
    ValueList<CoverageMilestone> Milestones,
    long Copies,
    long Duplicates,
    int Replies,
    double? SecondsToFirstReply)
{
    /// <summary>The milestone for one of <see cref="CoverageLevels.All"/>.</summary>
    public CoverageMilestone Milestone(double level) =>
        Milestones.FirstOrDefault(m => m.Level == level) ?? throw new ArgumentOutOfRangeException(nameof(level), level, "Not a reported coverage level.");
}
