namespace SweetGossip.Simulation.Output;

/// <summary>summary.json: the <see cref="SimulationSummary"/> of a run.</summary>
public static class SummaryJson
{
    public const string FileName = "summary.json";

    public static string Serialize(SimulationSummary summary) => OutputJson.Serialize(summary);

    public static void Write(SimulationSummary summary, string path) => OutputJson.Write(summary, path);
}
