using SweetGossip.Node.Core;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Output;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Sweep;

/// <summary>The result of one sweep point: its parameters and the run's summary.</summary>
/// <param name="Attack">The grid's attack at this point (none when its fraction is 0).</param>
/// <param name="Dissemination">How the nodes passed topics on (<paramref name="Fanout"/> is unused in announce).</param>
public sealed record SweepOutcome(int Fanout, int DifficultyBits, double AdversaryFraction, int Replicate, long Seed, SimulationSummary Summary, AttackKind? Attack = null,
    Dissemination Dissemination = Dissemination.Fanout)
{
    public static SweepOutcome From(SweepPoint point, SimulationResults results)
    {
        ArgumentNullException.ThrowIfNull(point);
        return new SweepOutcome(point.Fanout, point.DifficultyBits, point.AdversaryFraction, point.Replicate, point.Config.Seed, SimulationSummary.From(results),
            point.Config.Attacks.Count > 0 ? point.Config.Attacks[0].Kind : null, point.Dissemination);
    }

    /// <summary>
    /// A finished run's folder (config.json and summary.json, as <c>sgossip sim</c> writes them) as a sweep outcome:
    /// runs made one by one, or side by side, are tabled and plotted like a grid's.
    /// </summary>
    public static SweepOutcome FromRunFolder(string folder)
    {
        var config = SimulationConfigJson.Read(Path.Combine(folder, SimulationOutput.ConfigFileName));
        var summary = SummaryJson.Read(Path.Combine(folder, SummaryJson.FileName));
        var attack = config.Attacks.Count > 0 ? config.Attacks[0] : null;
        return new SweepOutcome(config.Fanout, config.DifficultyBits, attack?.Fraction ?? 0, 0, config.Seed, summary, attack?.Kind, config.Dissemination);
    }
}
