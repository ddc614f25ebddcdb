using SweetGossip.Node.Transport;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Partitioned;

/// <summary>
/// The scenario's link latencies with a floor (the lookahead of a partitioned run): the n-th frame on a link
/// gets max(sample n, floor). Each link's count is kept per sending node and touched only by its thread.
/// Link set-up messages get the link's sample "−1", floored the same way.
/// </summary>
internal sealed class FlooredLinkLatency(LatencySampler sampler, TimeSpan floor, int nodes) : ILinkLatency
{
    private readonly Dictionary<int, long>?[] _sent = new Dictionary<int, long>?[nodes];

    public TimeSpan Next(string from, string to)
    {
        var (f, t) = (PartitionLayout.NodeOf(from), PartitionLayout.NodeOf(to));
        var links = _sent[f] ??= [];
        links.TryGetValue(t, out var sequence);
        links[t] = sequence + 1;
        return Floored(sampler.SampleMilliseconds(f, t, sequence));
    }

    public TimeSpan Setup(int from, int to) => Floored(sampler.SampleMilliseconds(from, to, -1));

    private TimeSpan Floored(double milliseconds)
    {
        var sample = TimeSpan.FromMilliseconds(milliseconds);
        return sample < floor ? floor : sample;
    }
}
