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
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
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
        var path = (e.Path ?? "$") + (e.Data[ValueListJsonConverter.RelativePathKey] as string ?? "");
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
    }

    private static string MessageOf(JsonException e)
    {
        var line = e.LineNumber is { } l ? $" (line {l + 1})" : "";
        var text = e.Message;
        var cut = text.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0) text = text[..cut];
        // For an enum, say which names are allowed.
        var target = System.Text.RegularExpressions.Regex.Match(text, @"could not be converted to ([\w.]+)\.");
        if (target.Success && typeof(ConfigJson).Assembly.GetType(target.Groups[1].Value) is { IsEnum: true } enumType)
            text += " Allowed: " + string.Join(", ", Enum.GetNames(enumType)) + ".";
        return text + line;
    }
}
