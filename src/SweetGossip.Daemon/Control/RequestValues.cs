using System.Globalization;

namespace SweetGossip.Daemon.Control;

/// <summary>
/// Times and coordinates as people write them, read the same way by the control endpoint and the CLI's options.
/// A value that is not one throws <see cref="FormatException"/> whose message names it (<c>name</c>: the JSON field or the option).
/// </summary>
public static class RequestValues
{
    /// <summary>ISO 8601 (e.g. 2026-11-24T18:00:00Z), or relative to now: "now", "now+15m", "+2h", "-1d".</summary>
    /// <exception cref="FormatException">Neither.</exception>
    public static DateTimeOffset ParseTime(string text, DateTimeOffset now, string name)
    {
        var t = text.Trim();
        if (t == "now") return now;
        if (t.StartsWith("now", StringComparison.Ordinal)) t = t[3..];
        if (t.Length >= 3 && (t[0] == '+' || t[0] == '-') && char.IsDigit(t[1]))
        {
            var unit = t[^1];
            if (long.TryParse(t[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                var span = unit switch
                {
                    's' => TimeSpan.FromSeconds(amount),
                    'm' => TimeSpan.FromMinutes(amount),
                    'h' => TimeSpan.FromHours(amount),
                    'd' => TimeSpan.FromDays(amount),
                    _ => (TimeSpan?)null,
                };
                if (span is { } s) return t[0] == '+' ? now + s : now - s;
            }
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var absolute))
            return absolute;
        throw new FormatException($"{name}: '{text}' is not a time (use ISO 8601 like 2026-11-24T18:00:00Z, or now+15m, +2h, -1d)");
    }

    /// <summary>A latitude (<paramref name="limit"/> 90) or longitude (180) in degrees.</summary>
    /// <exception cref="FormatException">Outside -limit..limit, or not a number.</exception>
    public static void CheckCoordinate(double value, double limit, string name)
    {
        if (!(value >= -limit && value <= limit))
            throw new FormatException($"{name}: {value.ToString(CultureInfo.InvariantCulture)} is outside -{limit}..{limit}");
    }
}
