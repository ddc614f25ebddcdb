using SweetGossip.Node.Core;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Randomness;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Sweep;

/// <summary>
/// A parameter sweep: every combination of dissemination × fanout × difficulty × adversary fraction, each run
/// <see cref="Replicates"/> times. Announce dissemination has no fanout (it announces to every peer), so its points
/// are run once per difficulty and fraction, with the base config's fanout (unused). The adversaries of a point are one attack, <see cref="Attack"/> with its
/// fraction set to the point's (its own fraction is ignored); the base config's attacks are replaced, and
/// fraction 0 means no attack.
/// </summary>
/// <remarks>
/// Replicate r has the same seed at every point (common random numbers: the same graph, roles and topics),
/// so differences between points come from the parameters, not from luck. Replicate 0 keeps the base seed.
/// </remarks>
public sealed record SweepGrid
{
    public ValueList<Dissemination> Disseminations { get; init; } = new([Dissemination.Fanout]);
    public ValueList<int> Fanouts { get; init; } = new([2, 3, 4]);
    public ValueList<int> DifficultyBits { get; init; } = new([8]);
    public ValueList<double> AdversaryFractions { get; init; } = new([0.0, 0.1, 0.2, 0.3]);
    public Attack Attack { get; init; } = new() { Kind = AttackKind.Silent, Fraction = 0 };
    public int Replicates { get; init; } = 1;

    public IReadOnlyList<ConfigError> Validate()
    {
        var e = new List<ConfigError>();
        if (Disseminations.Count == 0) e.Add(new("disseminations", "must list at least one dissemination (Fanout, Announce)"));
        if (Disseminations.Distinct().Count() != Disseminations.Count) e.Add(new("disseminations", "lists a dissemination twice"));
        if (Fanouts.Count == 0) e.Add(new("fanouts", "must list at least one fanout"));
        if (DifficultyBits.Count == 0) e.Add(new("difficultyBits", "must list at least one difficulty"));
        if (AdversaryFractions.Count == 0) e.Add(new("adversaryFractions", "must list at least one fraction"));
        for (var i = 0; i < Fanouts.Count; i++)
            if (Fanouts[i] < 1) e.Add(new($"fanouts[{i}]", $"must be at least 1 (got {Fanouts[i]})"));
        for (var i = 0; i < DifficultyBits.Count; i++)
            if (DifficultyBits[i] is < 0 or > SimulationConfigValidator.MaxDifficulty) e.Add(new($"difficultyBits[{i}]", $"must be in [0, {SimulationConfigValidator.MaxDifficulty}] (got {DifficultyBits[i]})"));
        for (var i = 0; i < AdversaryFractions.Count; i++)
            if (!(AdversaryFractions[i] is >= 0 and <= 1)) e.Add(new($"adversaryFractions[{i}]", $"must be in [0, 1] (got {AdversaryFractions[i]})"));
        if (Replicates < 1) e.Add(new("replicates", $"must be at least 1 (got {Replicates})"));
        return e;
    }

    /// <summary>The points in a fixed order: dissemination, then fanout, then difficulty, then fraction, then replicate.</summary>
    /// <exception cref="SimulationConfigException">The grid, or a config it makes, is invalid (fields named).</exception>
    public IReadOnlyList<SweepPoint> Expand(SimulationConfig baseConfig)
    {
        ArgumentNullException.ThrowIfNull(baseConfig);
        var errors = Validate();
        if (errors.Count > 0) throw new SimulationConfigException(errors);

        var points = new List<SweepPoint>();
        foreach (var dissemination in Disseminations)
        foreach (var fanout in dissemination == Dissemination.Announce ? (IEnumerable<int>)[baseConfig.Fanout] : Fanouts)
            foreach (var bits in DifficultyBits)
                foreach (var fraction in AdversaryFractions)
                    for (var r = 0; r < Replicates; r++)
                    {
                        var config = baseConfig with
                        {
                            Seed = SeedOf(baseConfig.Seed, r),
                            Fanout = fanout,
                            Dissemination = dissemination,
                            DifficultyBits = bits,
                            Attacks = fraction > 0 ? new ValueList<Attack>([Attack with { Fraction = fraction }]) : ValueList<Attack>.Empty,
                        };
                        var problems = SimulationConfigValidator.Validate(config);
                        if (problems.Count > 0)
                            throw new SimulationConfigException(problems.Select(p => p with { Message = $"{p.Message} (sweep point {Describe(dissemination, fanout)}, difficulty {bits}, fraction {fraction})" }).ToArray());
                        points.Add(new SweepPoint(points.Count, fanout, bits, fraction, r, config, dissemination));
                    }
        return points;
    }

    /// <summary>"fanout 3" or "announce": how a sweep names a point's dissemination.</summary>
    public static string Describe(Dissemination dissemination, int fanout) =>
        dissemination == Dissemination.Announce ? "announce" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"fanout {fanout}");

    public static long SeedOf(long baseSeed, int replicate) =>
        replicate == 0 ? baseSeed : (long)SeedStreams.Derive(baseSeed, "sweep/replicate", replicate);
}
