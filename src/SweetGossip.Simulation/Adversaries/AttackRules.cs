using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Adversaries;

/// <summary>
/// What an attacker does on its links (docs/simulation.md, "Attacks"), from the moment its attack turns
/// (<see cref="Attack.MisbehaviourStartSeconds"/>); before that it behaves. Pure: which of its own node's frames
/// it keeps from its peers, and how often it asks its peers again for a topic it received.
/// </summary>
internal sealed class AttackRules(Attack attack, DateTimeOffset misbehaviourStart, PublicKey self, PublicKey? target)
{
    public AttackKind Kind => attack.Kind;

    public bool Misbehaving(DateTimeOffset now) => now >= misbehaviourStart;

    /// <summary>Whether the attacker keeps this frame of its own node from the peer it is addressed to.</summary>
    public bool Withholds(Frame frame, DateTimeOffset now) => Misbehaving(now) && frame switch
    {
        // Asking a favour is how a topic is passed on: withheld, the topic stops here.
        AskForFavour ask => WithholdsTopic(ask.SignedRequest.Payload.OriginatorCertificate.Body.Subject),
        // Announcing (D24), the topic is passed on by the broadcast a peer granted a favour for: the dropper announces,
        // takes the favour and never delivers, so the peer waits deliver-timeout and asks the next announcer.
        Broadcast broadcast => WithholdsTopic(broadcast.SignedRequest.Payload.OriginatorCertificate.Body.Subject),
        // Sealed: its own offers and those it would carry back look alike, and the droppers keep both.
        Reply => Kind is not (AttackKind.Chatterbox or AttackKind.Censorship or AttackKind.FreeRider),
        _ => false,
    };

    private bool WithholdsTopic(PublicKey originator) =>
        !originator.Equals(self) && Kind switch // its own rides: an attacker is a customer too
        {
            AttackKind.Chatterbox => false,
            AttackKind.Censorship => originator.Equals(target),
            // Silent, Sybil, Eclipse, cold boot, flash, covert flash: drop; free riders carry nobody's topics.
            _ => true,
        };

    /// <summary>How many times, and how far apart, a chatterbox asks its peers again for a topic it received; none otherwise.</summary>
    public (int Times, TimeSpan Interval) Repeats(DateTimeOffset now) =>
        Kind == AttackKind.Chatterbox && Misbehaving(now)
            ? (attack.RepeatsPerTopic ?? Attack.DefaultRepeatsPerTopic, TimeSpan.FromSeconds(attack.RepeatIntervalSeconds ?? Attack.DefaultRepeatIntervalSeconds))
            : (0, TimeSpan.Zero);
}
