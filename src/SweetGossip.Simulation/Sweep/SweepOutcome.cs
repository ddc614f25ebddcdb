using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Output;

namespace SweetGossip.Simulation.Sweep;

/// <summary>The result of one sweep point: its parameters and the run's summary.</summary>
public sealed record SweepOutcome(int Fanout, int DifficultyBits, double AdversaryFraction, int Replicate, long Seed, SimulationSummary Summary)
{
    public static SweepOutcome From(SweepPoint point, SimulationResults results)
    {
        ArgumentNullException.ThrowIfNull(point);
        return new SweepOutcome(point.Fanout, point.DifficultyBits, point.AdversaryFraction, point.Replicate, point.Config.Seed, SimulationSummary.From(results));
    }
}
