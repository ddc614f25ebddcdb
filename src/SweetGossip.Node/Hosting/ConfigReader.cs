using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace SweetGossip.Node.Hosting;

/// <summary>
/// Typed reads under one HOCON path, each failure a <see cref="NodeConfigException"/> naming the full key:
/// HOCON's own errors do not say which key they were about.
/// </summary>
internal sealed class ConfigReader(Config config, string root, string baseDirectory, string? shownRoot = null)
{
    /// <summary>The path to look <paramref name="name"/> up by.</summary>
    private string KeyOf(string name) => root.Length == 0 ? name : $"{root}.{name}";

    /// <summary>The key as the operator wrote it, for errors (list items read as <c>list[2].name</c>).</summary>
    public string Shown(string name) => $"{shownRoot ?? root}.{name}";

    public NodeConfigException Error(string name, string reason, Exception? inner = null) => new(Shown(name), reason, inner);

    public bool Has(string name) => config.HasPath(KeyOf(name));

    public string String(string name)
    {
        var key = KeyOf(name);
        if (!config.HasPath(key)) throw Error(name, "missing");
        var value = config.GetValue(key);
        if (value.IsObject() || ListItems(value) is not null) throw Error(name, "must be a single value, not an object or a list");
        return value.GetString() ?? "";
    }

    public long Long(string name, long min, long max)
    {
        var text = String(name);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw Error(name, $"'{text}' is not a whole number");
        if (value < min || value > max)
            throw Error(name, $"must be {min}..{max} (got {value})");
        return value;
    }

    public int Int(string name, int min, int max) => (int)Long(name, min, max);

    /// <summary>HOCON's booleans: on/off, true/false, yes/no.</summary>
    public bool Bool(string name) => String(name).ToLowerInvariant() switch
    {
        "on" or "true" or "yes" => true,
        "off" or "false" or "no" => false,
        var text => throw Error(name, $"'{text}' is not on or off"),
    };

    public ulong Msat(string name)
    {
        var text = String(name);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(name, $"'{text}' is not an amount in millisatoshis (a whole number, 0 or more)");
    }

    public double Positive(string name)
    {
        var text = String(name);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw Error(name, $"'{text}' is not a positive number");
    }

    /// <summary>A number in [0, 1), read as a probability.</summary>
    public double Probability(string name)
    {
        var text = String(name);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value < 1
            ? value
            : throw Error(name, $"'{text}' is not a probability (a number from 0 up to, not including, 1)");
    }

    /// <summary>Any finite number (signs and ranges are the caller's rules).</summary>
    public double Number(string name)
    {
        var text = String(name);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Error(name, $"'{text}' is not a number");
    }

    public TimeSpan Duration(string name)
    {
        var value = AnyDuration(name);
        return value > TimeSpan.Zero ? value : throw Error(name, $"must be a positive duration (got '{String(name)}')");
    }

    /// <summary>A duration that may be 0 (a feature turned off), never negative.</summary>
    public TimeSpan DurationOrZero(string name)
    {
        var value = AnyDuration(name);
        return value >= TimeSpan.Zero ? value : throw Error(name, $"must be 0 or a positive duration (got '{String(name)}')");
    }

    private TimeSpan AnyDuration(string name)
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
        return value;
    }

    public IReadOnlyList<string> Strings(string name)
    {
        var key = KeyOf(name);
        if (!config.HasPath(key)) return [];
        var items = ListItems(config.GetValue(key)) ?? throw Error(name, "must be a list, e.g. [\"127.0.0.1:9735\"]");
        // Akka's parser reads a list holding only comments as one empty element: skip empty elements.
        return items.Select(v => v.GetString() ?? "").Where(v => v.Length > 0).ToList();
    }

    /// <summary>A list of objects, each read by <paramref name="read"/> with its own reader (errors name e.g. <c>key[2].name</c>).</summary>
    public IReadOnlyList<T> Objects<T>(string name, Func<ConfigReader, T> read)
    {
        var key = KeyOf(name);
        if (!config.HasPath(key)) return [];
        var items = ListItems(config.GetValue(key)) ?? throw Error(name, "must be a list of objects");
        var result = new List<T>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (IsBlank(items[i])) continue; // a comment-only element, see Strings
            if (!items[i].IsObject()) throw Error($"{name}[{i}]", "must be an object");
            var item = new Config(new HoconRoot(items[i]));
            result.Add(read(new ConfigReader(item, "", baseDirectory, $"{Shown(name)}[{i}]")));
        }
        return result;
    }

    /// <summary>
    /// The elements of a list, or null if <paramref name="value"/> is not one. Akka's parser keeps the blanks
    /// between a list and a closing brace on the same line (<c>{ k = ["a"] }</c>) as a whitespace literal
    /// beside the array, and HOCON's own IsArray is false for <c>[]</c>: both are handled here.
    /// </summary>
    private static List<HoconValue>? ListItems(HoconValue value)
    {
        var parts = value.Values.Where(v => !(v is HoconLiteral literal && string.IsNullOrWhiteSpace(literal.Value))).ToList();
        if (parts.Count == 0 || !parts.All(v => v is HoconArray)) return null;
        return parts.SelectMany(p => ((HoconArray)p).GetArray()).ToList();
    }

    private static bool IsBlank(HoconValue value) =>
        value.Values.All(v => v is HoconLiteral literal && string.IsNullOrWhiteSpace(literal.Value));

    /// <summary>Like <see cref="ExistingFile"/>, but a key left out or empty is no file (null).</summary>
    public string? OptionalFile(string name) =>
        config.HasPath(KeyOf(name)) && String(name).Length > 0 ? ExistingFile(name) : null;

    /// <summary>A file name, resolved against the config file's directory; it must exist.</summary>
    public string ExistingFile(string name)
    {
        var text = String(name);
        if (text.Length == 0) throw Error(name, "no file given");
        var path = Path.GetFullPath(Path.Combine(baseDirectory, text));
        return File.Exists(path) ? path : throw Error(name, $"file not found: {path}");
    }
}
