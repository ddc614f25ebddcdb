namespace SweetGossip.Simulation.Scenario;

/// <summary>The distribution of one-way link latency.</summary>
public enum LatencyKind
{
    Constant,
    Uniform,
    Normal,
    LogNormal,
}
