namespace SweetGossip.Simulation.Metrics;

/// <summary>Whole-run totals.</summary>
public sealed record Totals(
    int Topics,
    long Frames,
    long Bytes,
    long PowHashes,
    long FirstReceipts,
    long Duplicates,
    int RepliesDelivered);
