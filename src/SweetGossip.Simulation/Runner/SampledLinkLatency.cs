using SweetGossip.Node.Transport;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Runner;

/// <summary>
/// Link delays from the scenario's latency model: the n-th frame from one peer to another always gets
/// the same sample (a pure function of seed, link and n), whatever else happens in the run.
/// </summary>
internal sealed class SampledLinkLatency(LatencySampler sampler, Func<string, int> indexOf) : ILinkLatency
{
    private readonly Dictionary<(int From, int To), long> _sent = [];

    public TimeSpan Next(string from, string to)
    {
        var link = (indexOf(from), indexOf(to));
        _sent.TryGetValue(link, out var sequence);
        _sent[link] = sequence + 1;
        return TimeSpan.FromMilliseconds(sampler.SampleMilliseconds(link.Item1, link.Item2, sequence));
    }
}
