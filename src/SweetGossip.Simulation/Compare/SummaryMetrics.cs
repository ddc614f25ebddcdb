using System.Globalization;
using System.Text.Json;

namespace SweetGossip.Simulation.Compare;

/// <summary>
/// Every number of a summary.json, flat and in file order: nested objects as "a.b", elements of a list by their
/// first property ("framesByKind[kind=Broadcast].bytes", "milestones[level=0.9].meanSeconds"). Nulls stay (as null:
/// "never"); text other than list keys is skipped. Works on any summary, so older result folders compare too.
/// </summary>
public static class SummaryMetrics
{
    /// <summary>A summary is a few kilobytes; a file far bigger is not one, and is not read whole.</summary>
    public const long MaxBytes = 16 << 20;

    /// <exception cref="InvalidDataException">Too big, not JSON, or not an object.</exception>
    public static IReadOnlyList<(string Metric, double? Value)> Read(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxBytes) throw new InvalidDataException($"{path} is {length:N0} bytes; a summary is at most {MaxBytes:N0}");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON ({e.Message})");
        }
        using var _ = document;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: a summary is a JSON object, this is {document.RootElement.ValueKind}");
        var metrics = new List<(string, double?)>();
        Flatten(document.RootElement, "", metrics);
        return metrics;
    }

    private static void Flatten(JsonElement element, string name, List<(string, double?)> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                into.Add((name, element.GetDouble()));
                break;
            case JsonValueKind.Null:
                into.Add((name, null));
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Flatten(property.Value, name.Length == 0 ? property.Name : name + "." + property.Name, into);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    var properties = item.ValueKind == JsonValueKind.Object ? item.EnumerateObject().ToArray() : [];
                    if (properties.Length > 0 && IsKey(properties[0].Value))
                    {
                        var prefix = $"{name}[{properties[0].Name}={Text(properties[0].Value)}]";
                        foreach (var property in properties.Skip(1))
                            Flatten(property.Value, prefix + "." + property.Name, into);
                    }
                    else Flatten(item, $"{name}[{index}]", into);
                    index++;
                }
                break;
        }
    }

    private static bool IsKey(JsonElement value) => value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        JsonValueKind.True => "true",
        _ => "false",
    };
}
