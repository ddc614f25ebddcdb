namespace SweetGossip.Simulation.Scenario;

/// <summary>One problem with a config: <see cref="Field"/> is its JSON path, e.g. <c>attacks[1].targetNode</c>.</summary>
public sealed record ConfigError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
