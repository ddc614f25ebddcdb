using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SweetGossip.Cli;

/// <summary>What every command needs: where to write, and whether to write JSON or text.</summary>
public sealed class CliContext(TextWriter output, bool json)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public TextWriter Output { get; } = output;

    public bool Json { get; } = json;

    /// <summary>Writes <paramref name="result"/> as JSON with --json, else the text lines.</summary>
    public void Write(object result, params string[] text)
    {
        if (Json)
            Output.WriteLine(JsonSerializer.Serialize(result, JsonOptions));
        else
            foreach (var line in text) Output.WriteLine(line);
    }

    public static string ToJson(object value) => JsonSerializer.Serialize(value, JsonOptions);

    public static T FromJson<T>(string json) => JsonSerializer.Deserialize<T>(json, JsonOptions)
        ?? throw new JsonException("file is empty");

    internal static readonly Option<bool> JsonOption = new("--json") { Description = "Machine-readable JSON output", Recursive = true };

    internal static CliContext From(ParseResult parse) =>
        new(parse.InvocationConfiguration.Output, parse.GetValue(JsonOption));
}
