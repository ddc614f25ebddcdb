using System.Diagnostics;
using System.Globalization;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Simulation.Diagnostics;

/// <summary>
/// A diagnostic for same-seed runs that differ (set SGOSSIP_ENTROPY_TRACE to a file): every draw of a node's seeded
/// entropy (favour ids, ask ids, preimages, payload ids, reply keys) is written with the node, its draw count, the
/// virtual time and the calling methods; and every proof of work's hash count as its node reported it and as the merge
/// applied it. Sorted by node and count, two runs' files show which node drew in another order.
/// Slow (a stack walk per draw): for finding a defect, never for measuring.
/// </summary>
internal sealed class EntropyTrace : IDisposable
{
    private readonly StreamWriter _out;
    private readonly Lock _sync = new();

    private EntropyTrace(string path) => _out = new StreamWriter(path) { AutoFlush = false };

    public static EntropyTrace? FromEnvironment() =>
        Environment.GetEnvironmentVariable("SGOSSIP_ENTROPY_TRACE") is { Length: > 0 } path ? new EntropyTrace(path) : null;

    public Entropy Wrap(int node, Entropy inner, TimeProvider clock, DateTimeOffset start) => new Traced(this, node, inner, clock, start);

    public void Dispose()
    {
        lock (_sync) _out.Dispose();
    }

    /// <summary>A proof of work reported (on the node's thread) or applied (by the merge): its node, virtual time and hashes.</summary>
    public void Pow(string what, int node, long ticks, long hashes)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{node} pow-{what} {ticks} {hashes}");
        lock (_sync) _out.WriteLine(line);
    }

    private void Write(int node, long index, long ticks, string callers, ReadOnlySpan<byte> drawn)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{node} {index} {ticks} {Convert.ToHexString(drawn[..Math.Min(8, drawn.Length)])} {callers}");
        lock (_sync) _out.WriteLine(line);
    }

    private sealed class Traced(EntropyTrace trace, int node, Entropy inner, TimeProvider clock, DateTimeOffset start) : Entropy
    {
        private long _drawn;

        protected override void Fill(Span<byte> destination)
        {
            inner.FillBytes(destination);
            var frames = new StackTrace(2, false).GetFrames();
            var callers = string.Join('<', frames.Take(5).Select(f => f.GetMethod() is { } m ? m.DeclaringType?.Name + "." + m.Name : "?"));
            trace.Write(node, _drawn++, (clock.GetUtcNow() - start).Ticks, callers, destination);
        }
    }
}
