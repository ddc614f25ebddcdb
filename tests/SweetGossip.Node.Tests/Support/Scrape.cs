using System.Globalization;

namespace SweetGossip.Node.Tests.Support;

/// <summary>A Prometheus text exposition, read by series: the sum of a metric's samples, optionally those with one label value.</summary>
public sealed class Scrape(string text)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public string Text { get; } = text;

    /// <summary>A real HTTP GET of <paramref name="url"/>; the status must be 200.</summary>
    public static async Task<Scrape> GetAsync(string url)
    {
        using var response = await Http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode}\n{body}");
        return new Scrape(body);
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> (exactly that name), those with <paramref name="label"/> only if given (e.g. <c>direction="in"</c>).</summary>
    public double Sum(string metric, string? label = null) => Samples(metric, label).Sum();

    public bool Has(string metric) => Samples(metric, null).Any();

    private IEnumerable<double> Samples(string metric, string? label)
    {
        foreach (var line in Text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var nameEnd = line.IndexOfAny(['{', ' ']);
            if (nameEnd < 0 || line[..nameEnd] != metric) continue;
            var labels = line[nameEnd] == '{' ? line[(nameEnd + 1)..line.IndexOf('}', nameEnd)] : "";
            if (label is not null && !labels.Split(',').Contains(label)) continue;
            var value = line[(line.LastIndexOf('}') is var close and >= 0 ? close + 1 : nameEnd)..].Trim().Split(' ')[0];
            yield return double.Parse(value, CultureInfo.InvariantCulture);
        }
    }

    public override string ToString() => Text;
}
