using System.Globalization;

namespace SweetGossip.Simulation.Compare;

/// <summary>Two numeric columns of one of a run's own CSVs (plain numbers, no quoting), for overlaid plots.</summary>
internal static class ResultCsvColumns
{
    /// <summary>More points than a plot can show; a run's series have thousands at most.</summary>
    public const int MaxRows = 1_000_000;

    /// <returns>Null when the file is not there; the rows whose two fields are numbers otherwise.</returns>
    /// <exception cref="InvalidDataException">A column is missing, or the file has more than <see cref="MaxRows"/> rows.</exception>
    public static (double[] X, double[] Y)? Read(string path, string x, string y)
    {
        if (!File.Exists(path)) return null;
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',') ?? [];
        int xi = Array.IndexOf(header, x), yi = Array.IndexOf(header, y);
        if (xi < 0 || yi < 0) throw new InvalidDataException($"{path}: no column {(xi < 0 ? x : y)}");
        var (xs, ys) = (new List<double>(), new List<double>());
        while (reader.ReadLine() is { } line)
        {
            if (xs.Count >= MaxRows) throw new InvalidDataException($"{path}: more than {MaxRows:N0} rows; not a series of sgossip sim");
            var fields = line.Split(',');
            if (fields.Length <= Math.Max(xi, yi)) continue;
            if (double.TryParse(fields[xi], NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
                && double.TryParse(fields[yi], NumberStyles.Float, CultureInfo.InvariantCulture, out var b))
            {
                xs.Add(a);
                ys.Add(b);
            }
        }
        return (xs.ToArray(), ys.ToArray());
    }
}
