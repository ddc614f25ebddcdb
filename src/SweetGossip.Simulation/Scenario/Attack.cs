namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// One attack in a scenario: a <see cref="Fraction"/> of the peers turns adversarial from
/// <see cref="StartSeconds"/>, behaving as <see cref="Kind"/> says. Attackers of different attacks are
/// distinct peers. Kind-specific parameters (the validator rejects them on other kinds):
/// <list type="bullet">
/// <item><see cref="TargetNode"/>: required for Eclipse and Censorship (the victim, never an attacker).</item>
/// <item><see cref="IdentitiesPerAttacker"/>: Sybil, Eclipse, Censorship, ColdBoot, Flash, CovertFlash; default 1.</item>
/// <item><see cref="CovertPeriodSeconds"/>: required for CovertFlash (good behaviour before turning).</item>
/// <item><see cref="RepeatsPerTopic"/>, <see cref="RepeatIntervalSeconds"/>: Chatterbox; default 10 repeats, 1 s apart.</item>
/// </list>
/// </summary>
public sealed record Attack
{
    public const int DefaultRepeatsPerTopic = 10;
    public const double DefaultRepeatIntervalSeconds = 1;

    public required AttackKind Kind { get; init; }

    /// <summary>Fraction of the scenario's peers that are attackers, in [0, 1].</summary>
    public required double Fraction { get; init; }

    public double StartSeconds { get; init; }

    public int? TargetNode { get; init; }
    public int? IdentitiesPerAttacker { get; init; }
    public double? CovertPeriodSeconds { get; init; }
    public int? RepeatsPerTopic { get; init; }
    public double? RepeatIntervalSeconds { get; init; }

    /// <summary>True for the GossipSub attacks, run by Sybil identities.</summary>
    public bool UsesSybils => Kind is AttackKind.Sybil or AttackKind.Eclipse or AttackKind.Censorship
        or AttackKind.ColdBoot or AttackKind.Flash or AttackKind.CovertFlash;

    public int EffectiveIdentitiesPerAttacker => UsesSybils ? IdentitiesPerAttacker ?? 1 : 1;

    /// <summary>When the attackers start misbehaving (after the covert period, for CovertFlash).</summary>
    public double MisbehaviourStartSeconds => StartSeconds + (Kind == AttackKind.CovertFlash ? CovertPeriodSeconds ?? 0 : 0);
}
