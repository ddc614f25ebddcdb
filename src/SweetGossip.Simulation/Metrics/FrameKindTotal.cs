namespace SweetGossip.Simulation.Metrics;

public sealed record FrameKindTotal(FrameKind Kind, long Frames, long Bytes);
