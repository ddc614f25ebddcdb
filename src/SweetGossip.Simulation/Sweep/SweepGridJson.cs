using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Sweep;

/// <summary>Reads and writes <see cref="SweepGrid"/> as JSON, with the conventions of config files.</summary>
public static class SweepGridJson
{
    /// <exception cref="SimulationConfigException">Bad JSON or an invalid grid; each error names its field.</exception>
    public static SweepGrid Parse(string json)
    {
        var grid = ConfigJson.Parse<SweepGrid>(json);
        var errors = grid.Validate();
        if (errors.Count > 0) throw new SimulationConfigException(errors);
        return grid;
    }

    public static SweepGrid Read(string path) => Parse(File.ReadAllText(path));

    public static string Serialize(SweepGrid grid) => System.Text.Json.JsonSerializer.Serialize(grid, ConfigJson.Options);

    public static void Write(SweepGrid grid, string path) => File.WriteAllText(path, Serialize(grid) + "\n");
}
