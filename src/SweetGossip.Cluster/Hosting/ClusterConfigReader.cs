using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace SweetGossip.Cluster.Hosting;

/// <summary>
/// Typed reads under <c>sweetgossip.cluster</c>, each failure a <see cref="HubClusterConfigException"/> naming the full key
/// (HOCON's own errors do not say which key they were about). Same rules as the node's reader, which this project cannot see.
/// </summary>
internal sealed class ClusterConfigReader(Config config, string root)
{
    private string KeyOf(string name) => $"{root}.{name}";

    public HubClusterConfigException Error(string name, string reason, Exception? inner = null) => new(KeyOf(name), reason, inner);

    public string String(string name)
    {
        var key = KeyOf(name);
        if (!config.HasPath(key)) throw Error(name, "missing");
        var value = config.GetValue(key);
        if (value.IsObject() || ListItems(value) is not null) throw Error(name, "must be a single value, not an object or a list");
        return value.GetString() ?? "";
    }

    public int Int(string name, int min, int max)
    {
        var text = String(name);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw Error(name, $"'{text}' is not a whole number");
        return value >= min && value <= max ? value : throw Error(name, $"must be {min}..{max} (got {value})");
    }

    public bool Bool(string name)
    {
        var text = String(name);
        return text.ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw Error(name, $"'{text}' is not on/off"),
        };
    }

    public TimeSpan Duration(string name, TimeSpan min, TimeSpan max)
    {
        var text = String(name);
        TimeSpan value;
        try
        {
            value = config.GetTimeSpan(KeyOf(name));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or InvalidOperationException)
        {
            throw Error(name, $"'{text}' is not a duration (e.g. 500ms, 10s, 2m, 1h)", e);
        }
        return value >= min && value <= max ? value : throw Error(name, $"must be from {min} to {max} (got '{text}')");
    }

    public IReadOnlyList<string> Strings(string name)
    {
        var key = KeyOf(name);
        if (!config.HasPath(key)) return [];
        var items = ListItems(config.GetValue(key)) ?? throw Error(name, "must be a list, e.g. [\"a\", \"b\"]");
        // Akka's parser reads a list holding only comments as one empty element: skip empty elements.
        return items.Select(v => v.GetString() ?? "").Where(v => v.Length > 0).ToList();
    }

    /// <summary>
    /// The elements of a list, or null if <paramref name="value"/> is not one. Akka's parser keeps the blanks between a
    /// list and a closing brace on the same line as a whitespace literal beside the array, and HOCON's own IsArray is
    /// false for <c>[]</c>: both are handled here.
    /// </summary>
    private static List<HoconValue>? ListItems(HoconValue value)
    {
        var parts = value.Values.Where(v => !(v is HoconLiteral literal && string.IsNullOrWhiteSpace(literal.Value))).ToList();
        if (parts.Count == 0 || !parts.All(v => v is HoconArray)) return null;
        return parts.SelectMany(p => ((HoconArray)p).GetArray()).ToList();
    }
}
