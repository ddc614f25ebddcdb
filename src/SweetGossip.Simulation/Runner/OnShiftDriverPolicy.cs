using SweetGossip.Node.Policies;
using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Runner;

/// <summary>
/// A simulated driver: takes taxi jobs picked up in its area whose window is still open, while its shift
/// lasts (the scenario's hour of day at the node's clock).
/// </summary>
internal sealed class OnShiftDriverPolicy(TaxiScenario scenario, Shift shift, string area, ulong priceMsat, string message, DateTimeOffset start) : IReplyPolicy
{
    public ReplyOffer? Decide(Topic topic, DateTimeOffset now) =>
        topic is TaxiTopic taxi
        && Geohash.Covers(area, taxi.PickupGeohash)
        && taxi.PickupBefore > now
        && shift.IsWorking(scenario.HourOfDay((now - start).TotalSeconds))
            ? new ReplyOffer(message, priceMsat)
            : null;
}
