using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Sweep;

/// <summary>One run of a sweep, with the full config to run.</summary>
public sealed record SweepPoint(int Index, int Fanout, int DifficultyBits, double AdversaryFraction, int Replicate, SimulationConfig Config);
