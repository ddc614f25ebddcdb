using System.Globalization;
using System.Text;
using SweetGossip.Simulation.Output;

namespace SweetGossip.Simulation.Compare;

/// <summary>What <see cref="ResultsComparison.Write"/> wrote (full paths).</summary>
public sealed record ComparisonFiles(string Folder, string Markdown, string Csv, IReadOnlyList<string> Plots, int Metrics);

/// <summary>
/// `sgossip sim compare A B`: two result folders side by side. compare.md and compare.csv hold every number of
/// both summaries (metric, A, B, B − A, B / A; empty where a side has none or the ratio is undefined), in A's order
/// then metrics only B has; the plots overlay the series both runs wrote (<see cref="ComparisonPlots"/>).
/// </summary>
public static class ResultsComparison
{
    public const string MarkdownFileName = "compare.md";
    public const string CsvFileName = "compare.csv";

    /// <exception cref="InvalidDataException">A folder has no summary.json, or it is not a summary.</exception>
    public static ComparisonFiles Write(string a, string b, string output, PlotFormat format = PlotFormat.Png)
    {
        var first = Summary(a, "A");
        var second = Summary(b, "B");
        var (labelA, labelB) = Labels(a, b);
        Directory.CreateDirectory(output);

        var byName = second.GroupBy(m => m.Metric).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var rows = first.Select(m => (m.Metric, A: m.Value, B: byName.GetValueOrDefault(m.Metric))).ToList();
        var inFirst = first.Select(m => m.Metric).ToHashSet(StringComparer.Ordinal);
        rows.AddRange(second.Where(m => !inFirst.Contains(m.Metric)).Select(m => (m.Metric, A: (double?)null, B: m.Value)));

        var csvPath = Path.GetFullPath(Path.Combine(output, CsvFileName));
        CsvWriter.ToFile(csvPath, w =>
        {
            var csv = new CsvWriter(w);
            csv.Row("metric", "a", "b", "difference", "ratio");
            foreach (var (metric, x, y) in rows) csv.Row(metric, x, y, y - x, Ratio(x, y));
        });

        var md = new StringBuilder();
        md.Append("# Comparison of two simulation runs\n\n");
        md.Append($"A: `{Path.GetFullPath(a)}` ({labelA})  \nB: `{Path.GetFullPath(b)}` ({labelB})\n\n");
        md.Append("| metric | A | B | B − A | B / A |\n|---|---:|---:|---:|---:|\n");
        foreach (var (metric, x, y) in rows)
            md.Append($"| {metric} | {F(x)} | {F(y)} | {F(y - x)} | {F(Ratio(x, y))} |\n");
        var plots = ComparisonPlots.Write(a, labelA, b, labelB, output, format);
        if (plots.Count > 0)
        {
            md.Append('\n');
            foreach (var plot in plots) md.Append($"![{Path.GetFileNameWithoutExtension(plot)}]({Path.GetFileName(plot)})\n\n");
        }
        var mdPath = Path.GetFullPath(Path.Combine(output, MarkdownFileName));
        File.WriteAllText(mdPath, md.ToString());
        return new ComparisonFiles(Path.GetFullPath(output), mdPath, csvPath, plots, rows.Count);
    }

    private static IReadOnlyList<(string Metric, double? Value)> Summary(string folder, string side)
    {
        var path = Path.Combine(folder, SummaryJson.FileName);
        if (!Directory.Exists(folder)) throw new InvalidDataException($"{side}: {folder} is not a folder");
        if (!File.Exists(path)) throw new InvalidDataException($"{side}: no {SummaryJson.FileName} in {folder} (not a results folder of sgossip sim)");
        try
        {
            return SummaryMetrics.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{side}: {e.Message}", e);
        }
    }

    /// <summary>The folders' names, or A and B when those are the same.</summary>
    private static (string, string) Labels(string a, string b)
    {
        string Name(string f) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(f)));
        var (x, y) = (Name(a), Name(b));
        return x == y || x.Length == 0 || y.Length == 0 ? ("A", "B") : (x, y);
    }

    private static double? Ratio(double? a, double? b) => a is { } x && b is { } y && x != 0 ? y / x : null;

    private static string F(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "";
}
