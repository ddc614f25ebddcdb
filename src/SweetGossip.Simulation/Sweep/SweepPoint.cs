using SweetGossip.Node.Core;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Sweep;

/// <summary>One run of a sweep, with the full config to run (<paramref name="Fanout"/> unused in announce dissemination).</summary>
public sealed record SweepPoint(int Index, int Fanout, int DifficultyBits, double AdversaryFraction, int Replicate, SimulationConfig Config,
    Dissemination Dissemination = Dissemination.Fanout);
