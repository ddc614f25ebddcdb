using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SweetGossip.Cli;

/// <summary>What every command needs: where to write, and whether to write JSON or text.</summary>
public sealed class CliContext(TextWriter output, bool json)
{
    /// <summary>
    /// The CLI's one set of JSON conventions, for everything it prints and writes: snake_case, indented, enums by
    /// name (numbers still read), and only what JSON requires escaped ("+00:00", not "\u002B00:00").
    /// </summary>
    private static readonly JsonSerializerOptions JsonOptions = Readable(new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    /// <summary>
    /// <paramref name="options"/> (a copy if already in use) made readable as the CLI's own: enum names, minimal escaping.
    /// Files are read back as JSON, never embedded in HTML, so the relaxed encoder is safe here.
    /// </summary>
    internal static JsonSerializerOptions Readable(JsonSerializerOptions options)
    {
        var readable = options.IsReadOnly ? new JsonSerializerOptions(options) : options;
        readable.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        if (!readable.Converters.Any(c => c is JsonStringEnumConverter)) readable.Converters.Add(new JsonStringEnumConverter());
        return readable;
    }

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

    /// <summary>How the CLI's files are read: the same snake_case names they are written with.</summary>
    internal static JsonSerializerOptions ReadOptions => JsonOptions;

    /// <summary>
    /// Text from a user or a certificate, made safe for one output line: control characters are shown
    /// escaped (a certificate name with a line break cannot add a line of its own to the output).
    /// </summary>
    public static string Visible(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var builder = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    internal static readonly Option<bool> JsonOption = new("--json") { Description = "Machine-readable JSON output", Recursive = true };

    internal static CliContext From(ParseResult parse) =>
        new(parse.InvocationConfiguration.Output, parse.GetValue(JsonOption));
}
