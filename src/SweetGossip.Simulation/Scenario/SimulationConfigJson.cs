namespace SweetGossip.Simulation.Scenario;

/// <summary>Reads and writes <see cref="SimulationConfig"/> as JSON (conventions in <c>ConfigJson</c>).</summary>
public static class SimulationConfigJson
{
    /// <summary>Parses and validates.</summary>
    /// <exception cref="SimulationConfigException">Bad JSON, or an invalid config; each error names its field.</exception>
    public static SimulationConfig Parse(string json)
    {
        var config = ConfigJson.Parse<SimulationConfig>(json);
        SimulationConfigValidator.ThrowIfInvalid(config);
        return config;
    }

    /// <exception cref="SimulationConfigException">Bad JSON, or an invalid config; each error names its field.</exception>
    public static SimulationConfig Read(string path) => Parse(File.ReadAllText(path));

    public static string Serialize(SimulationConfig config) =>
        System.Text.Json.JsonSerializer.Serialize(config, ConfigJson.Options);

    public static void Write(SimulationConfig config, string path) => File.WriteAllText(path, Serialize(config) + "\n");
}
