using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Simulation.Scenario;

/// <summary>The peers that carry out <c>config.Attacks[AttackIndex]</c>, ascending ids.</summary>
public sealed record AttackAssignment(int AttackIndex, Attack Attack, ValueList<int> Attackers);
