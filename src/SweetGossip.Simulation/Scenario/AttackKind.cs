namespace SweetGossip.Simulation.Scenario;

/// <summary>The whitepaper's attacks ("Trivial attacks" and "Simple attacks"), plus free riding.</summary>
public enum AttackKind
{
    /// <summary>Attackers accept topics but never relay or reply (Burmester's silent attack).</summary>
    Silent,

    /// <summary>Attackers resend every topic they get, repeatedly, to their peers (chatterbox).</summary>
    Chatterbox,

    /// <summary>Each attacker runs many identities that join as peers and then drop everything.</summary>
    Sybil,

    /// <summary>Sybils surround <see cref="Attack.TargetNode"/> and drop all its traffic.</summary>
    Eclipse,

    /// <summary>Sybils relay everything except topics that <see cref="Attack.TargetNode"/> originated.</summary>
    Censorship,

    /// <summary>Sybils join together with the honest peers while the network bootstraps, then drop.</summary>
    ColdBoot,

    /// <summary>Sybils connect at <see cref="Attack.StartSeconds"/> and drop everything at once.</summary>
    Flash,

    /// <summary>As Flash, but the Sybils behave for <see cref="Attack.CovertPeriodSeconds"/> first, to build score.</summary>
    CovertFlash,

    /// <summary>Attackers use the network (originate topics) but never relay others' topics.</summary>
    FreeRider,
}
