namespace SweetGossip.Simulation.Metrics;

/// <summary>
/// Whole-run totals. <see cref="FirstReceipts"/>: (topic, peer) pairs reached, origins excluded;
/// <see cref="Duplicates"/>: all other copies (as in <see cref="TopicStats"/>).
/// </summary>
public sealed record Totals(
    int Topics,
    long Frames,
    long Bytes,
    long PowHashes,
    long FirstReceipts,
    long Duplicates,
    int RepliesDelivered);
