using SweetGossip.Protocol.Topics;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// A rider's pickup request: topic number <see cref="Topic"/> (0, 1, … in time order; the number the
/// metrics use) broadcast by <see cref="Origin"/> at <see cref="TimeSeconds"/>, for a pickup in
/// <see cref="PickupGeohash"/> between the two pickup times (simulation seconds).
/// </summary>
public sealed record ScheduledTopic(
    int Topic,
    double TimeSeconds,
    int Origin,
    GeoPoint Pickup,
    string PickupGeohash,
    double PickupAfterSeconds,
    double PickupBeforeSeconds);
