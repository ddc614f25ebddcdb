using SweetGossip.Node.Policies;
using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Runner;

/// <summary>A simulated worker: takes an open job of a category it serves (<see cref="JobCategory"/> codes).</summary>
internal sealed class JobWorkerPolicy(IReadOnlySet<string> categories, ulong priceMsat, string message) : IReplyPolicy
{
    public ReplyOffer? Decide(Topic topic, DateTimeOffset now) =>
        topic is TaxiTopic job && categories.Contains(job.PickupGeohash) && job.PickupBefore > now
            ? new ReplyOffer(message, priceMsat)
            : null;
}
