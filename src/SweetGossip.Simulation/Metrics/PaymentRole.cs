namespace SweetGossip.Simulation.Metrics;

/// <summary>The role a peer was paying or being paid in (whitepaper roles; every peer can play each).</summary>
public enum PaymentRole
{
    /// <summary>The rider paying for a reply (price plus relay fees), or for favours when they cost sats.</summary>
    Originator,

    /// <summary>A relay: paid its fee (and favour prices) upstream, paying the rest downstream.</summary>
    Middleman,

    /// <summary>The driver being paid its price.</summary>
    Replier,
}
