using System.Globalization;

namespace SweetGossip.Simulation.Output;

/// <summary>
/// RFC 4180 CSV with invariant-culture numbers ("0.5", never "0,5"), shortest round-trip doubles, empty
/// fields for nulls, and LF line ends, so files are identical across machines and locales.
/// </summary>
internal sealed class CsvWriter(TextWriter writer)
{
    public void Row(params object?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) writer.Write(',');
            writer.Write(Format(fields[i]));
        }
        writer.Write('\n');
    }

    public static string Format(object? value) => value switch
    {
        null => "",
        double d => Number(d),
        float f => Number(f),
        bool b => b ? "true" : "false",
        string s => Quote(s),
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString() ?? ""),
    };

    private static string Number(double d) => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Writes a file (UTF-8, no BOM).</summary>
    public static void ToFile(string path, Action<TextWriter> write)
    {
        using var stream = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        write(stream);
    }
}
