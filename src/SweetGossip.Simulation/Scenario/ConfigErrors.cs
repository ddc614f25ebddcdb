namespace SweetGossip.Simulation.Scenario;

/// <summary>Collects validation problems with their field paths.</summary>
internal sealed class ConfigErrors
{
    private readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> ToList() => _errors.ToArray();

    public void Add(string field, string message) => _errors.Add(new ConfigError(field, message));

    public void Require(bool ok, string field, string message)
    {
        if (!ok) Add(field, message);
    }

    public void InRange(double value, double min, double max, string field)
    {
        if (!(value >= min && value <= max))
            Add(field, $"must be in [{min}, {max}] (got {value})");
    }

    public void InRange(long value, long min, long max, string field)
    {
        if (value < min || value > max)
            Add(field, $"must be in [{min}, {max}] (got {value})");
    }

    public void Positive(double value, string field)
    {
        if (!(value > 0 && double.IsFinite(value)))
            Add(field, $"must be positive and finite (got {value})");
    }

    public void NonNegative(double value, string field)
    {
        if (!(value >= 0 && double.IsFinite(value)))
            Add(field, $"must be non-negative and finite (got {value})");
    }

    /// <summary>A parameter that the chosen kind needs.</summary>
    public bool Present<T>(T? value, string field, string kind) where T : struct
    {
        if (value is null) Add(field, $"is required for {kind}");
        return value is not null;
    }

    /// <summary>A parameter that the chosen kind does not use (most likely meant for another kind).</summary>
    public void Absent(object? value, string field, string kind)
    {
        if (value is not null) Add(field, $"is not used by {kind}; remove it");
    }
}
