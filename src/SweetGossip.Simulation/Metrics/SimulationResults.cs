using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Simulation.Metrics;

/// <summary>
/// Everything <see cref="MetricsRecorder.Aggregate"/> computes, in a fixed order (peers by node, topics by
/// topic number, series by time, enums in declaration order) and independent of the order events were
/// recorded in: the same events give an equal (<c>Equals</c>) result.
/// </summary>
public sealed record SimulationResults(
    int PeerCount,
    MetricsSettings Settings,
    ValueList<PeerStats> Peers,
    ValueList<TopicStats> Topics,
    ValueList<CoveragePoint> Coverage,
    ValueList<TrafficPoint> Traffic,
    ValueList<RedundancyBin> Redundancy,
    ValueList<RoleEarnings> EarningsByRole,
    ValueList<GroupEarnings> EarningsByHonesty,
    ValueList<FrameKindTotal> FramesByKind,
    Totals Totals);
