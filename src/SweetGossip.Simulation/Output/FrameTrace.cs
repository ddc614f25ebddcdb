using System.Globalization;
using SweetGossip.Simulation.Metrics;

namespace SweetGossip.Simulation.Output;

/// <summary>
/// trace.jsonl: one JSON object a line, written as the run goes, up to a number of lines (then only counted).
/// "Frame": a frame sent (time_s, from, to, kind, bytes, payload id: null for frames that name none, conditions and
/// Lightning node announcements); "Accepted" / "Duplicate": a node took a topic it had not
/// seen / was offered one it had (time_s, from, to, payload id, topic number when the run scheduled it). Nodes are
/// numbers, kinds names, times simulation seconds.
/// </summary>
public sealed class FrameTrace(string path, long maxLines) : IDisposable
{
    public const string FileName = "trace.jsonl";

    private readonly StreamWriter _file = new(path, append: false, new System.Text.UTF8Encoding(false));

    public long Written { get; private set; }

    /// <summary>Lines past the limit, not written.</summary>
    public long Dropped { get; private set; }

    /// <param name="payloadHex">The payload the frame is about (hex, as <see cref="SweetGossip.Protocol.Primitives.PayloadId"/> prints); null when it names none.</param>
    public void Frame(double timeSeconds, int from, int to, FrameKind kind, int bytes, string? payloadHex = null)
    {
        if (!Take()) return;
        var payloadField = payloadHex is null ? "null" : "\"" + payloadHex + "\"";
        _file.Write(string.Create(CultureInfo.InvariantCulture,
            $"{{\"event\":\"Frame\",\"time_s\":{timeSeconds:R},\"from\":{from},\"to\":{to},\"kind\":\"{kind}\",\"bytes\":{bytes},\"payload\":{payloadField}}}\n"));
    }

    /// <param name="duplicate">Offered again rather than accepted.</param>
    public void Receipt(bool duplicate, double timeSeconds, int from, int to, string payloadHex, int? topic)
    {
        if (!Take()) return;
        var topicField = topic is { } t ? t.ToString(CultureInfo.InvariantCulture) : "null";
        _file.Write(string.Create(CultureInfo.InvariantCulture,
            $"{{\"event\":\"{(duplicate ? "Duplicate" : "Accepted")}\",\"time_s\":{timeSeconds:R},\"from\":{from},\"to\":{to},\"payload\":\"{payloadHex}\",\"topic\":{topicField}}}\n"));
    }

    private bool Take()
    {
        if (Written >= maxLines)
        {
            Dropped++;
            return false;
        }
        Written++;
        return true;
    }

    public void Dispose() => _file.Dispose();
}
