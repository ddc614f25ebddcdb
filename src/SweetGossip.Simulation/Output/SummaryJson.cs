namespace SweetGossip.Simulation.Output;

/// <summary>summary.json: the <see cref="SimulationSummary"/> of a run.</summary>
public static class SummaryJson
{
    public const string FileName = "summary.json";

    public static string Serialize(SimulationSummary summary) => OutputJson.Serialize(summary);

    public static void Write(SimulationSummary summary, string path) => OutputJson.Write(summary, path);

    /// <summary>A summary.json written by <see cref="Write"/> (a finished run, to collect into a sweep).</summary>
    /// <exception cref="System.Text.Json.JsonException">Not a summary.</exception>
    public static SimulationSummary Read(string path) =>
        System.Text.Json.JsonSerializer.Deserialize<SimulationSummary>(File.ReadAllText(path), OutputJson.Options)
        ?? throw new System.Text.Json.JsonException($"{path}: null instead of a summary");
}
