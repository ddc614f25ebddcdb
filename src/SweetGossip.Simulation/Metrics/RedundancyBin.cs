namespace SweetGossip.Simulation.Metrics;

/// <summary><see cref="Count"/> (topic, peer) pairs in which the peer received exactly <see cref="Copies"/> copies (≥ 1).</summary>
public sealed record RedundancyBin(int Copies, long Count);
