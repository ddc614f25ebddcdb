using System.Text.Json;
using System.Text.Json.Serialization;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// The JSON conventions of every config file here: camelCase names, enums as their names, comments and
/// trailing commas allowed, unknown properties and nulls for non-nullable members refused (a typo is an
/// error, not a silently ignored setting).
/// </summary>
internal static class ConfigJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false), new ValueListJsonConverter() },
    };

    /// <summary>Deserializes, turning every parse failure into a <see cref="SimulationConfigException"/> naming the field.</summary>
    public static T Parse<T>(string json) where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new SimulationConfigException([new ConfigError("$", "the document is null")]);
        }
        catch (JsonException e)
        {
            throw new SimulationConfigException([new ConfigError(FieldOf(e), MessageOf(e))]);
        }
    }

    /// <summary>"$.attacks[0].kind" → "attacks[0].kind"; the document itself is "$".</summary>
    private static string FieldOf(JsonException e)
    {
        var path = e.Path ?? "$";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        // An unknown property is reported at its parent's path; name the property itself.
        var unknown = System.Text.RegularExpressions.Regex.Match(e.Message, "The JSON property '([^']+)' could not be mapped");
        if (unknown.Success) field = field == "$" ? unknown.Groups[1].Value : $"{field}.{unknown.Groups[1].Value}";
        return field;
    }

    private static string MessageOf(JsonException e)
    {
        var line = e.LineNumber is { } l ? $" (line {l + 1})" : "";
        var text = e.Message;
        var cut = text.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0) text = text[..cut];
        return text + line;
    }
}
