using SweetGossip.Node.Policies;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Runner;

/// <summary>
/// What an attacker does differently from an honest node (docs/simulation.md, "Attacks"), from the moment
/// its attack turns (<see cref="Attack.MisbehaviourStartSeconds"/>); before that it behaves. Everything
/// else (favours, PoW, payments) runs through the same actors and rules as for everyone.
/// </summary>
internal sealed class AdversaryConduct(Attack attack, DateTimeOffset misbehaviourStart, PublicKey? target) : INodeConduct
{
    private bool Misbehaving(DateTimeOffset now) => now >= misbehaviourStart;

    public bool Relays(SignedRequestPayload request, DateTimeOffset now)
    {
        if (!Misbehaving(now)) return true;
        return attack.Kind switch
        {
            AttackKind.Chatterbox => true,
            AttackKind.Censorship => !request.Payload.OriginatorCertificate.Body.Subject.Equals(target),
            // Silent, Sybil, Eclipse, cold boot, flash, covert flash: drop; free riders relay nobody's topics.
            _ => false,
        };
    }

    public bool Replies(SignedRequestPayload request, DateTimeOffset now) =>
        !Misbehaving(now) || attack.Kind is AttackKind.Chatterbox or AttackKind.Censorship or AttackKind.FreeRider;

    public (int Times, TimeSpan Interval) Repeats(SignedRequestPayload request, DateTimeOffset now) =>
        attack.Kind == AttackKind.Chatterbox && Misbehaving(now)
            ? (attack.RepeatsPerTopic ?? Attack.DefaultRepeatsPerTopic, TimeSpan.FromSeconds(attack.RepeatIntervalSeconds ?? Attack.DefaultRepeatIntervalSeconds))
            : (0, TimeSpan.Zero);
}
