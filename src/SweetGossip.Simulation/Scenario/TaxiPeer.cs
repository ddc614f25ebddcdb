using SweetGossip.Protocol.Topics;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// One peer of a <see cref="TaxiPopulation"/>. Drivers have an <see cref="Area"/> (the geohash prefix of
/// their position) and a shift (index into <see cref="TaxiScenario.DriverShifts"/>); riders have neither.
/// </summary>
public sealed record TaxiPeer(int Node, PeerKind Kind, GeoPoint Position, string? Area, int? Shift);
