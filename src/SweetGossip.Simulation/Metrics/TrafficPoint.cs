namespace SweetGossip.Simulation.Metrics;

/// <summary>
/// What happened in the simulation-time bucket starting at <see cref="StartSeconds"/>, counted as the
/// events were reported (a first-receipt reported twice counts twice here, once in <see cref="Totals"/>).
/// </summary>
public sealed record TrafficPoint(
    double StartSeconds,
    long Frames,
    long Bytes,
    long FirstReceipts,
    long Duplicates,
    long TopicsOriginated,
    long RepliesDelivered,
    long PowHashes);
