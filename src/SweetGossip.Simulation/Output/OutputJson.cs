using System.Text.Json;
using System.Text.Json.Serialization;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Output;

/// <summary>JSON conventions of output files: as the config files (camelCase, enum names), indented.</summary>
internal static class OutputJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // Summaries use null for "undefined"; a stray NaN is written as "NaN" rather than failing a long run's output.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Read back as JSON, never embedded in HTML: only what JSON requires is escaped ("+00:00", not "\u002B00:00").
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(), new ValueListJsonConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static void Write<T>(T value, string path) => File.WriteAllText(path, Serialize(value) + "\n");
}
