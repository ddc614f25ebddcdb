namespace SweetGossip.Simulation.Scenario;

/// <summary>A config that cannot be parsed or is invalid; lists every problem found, each naming its field.</summary>
public sealed class SimulationConfigException(IReadOnlyList<ConfigError> errors)
    : Exception("Invalid simulation config:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
