namespace SweetGossip.Simulation.Metrics;

/// <summary>The role a peer was paying or being paid in (whitepaper roles; every peer can play each).</summary>
public enum PaymentRole
{
    /// <summary>The rider paying for a reply (price plus relay fees).</summary>
    Originator,

    /// <summary>A relay: paid its fee upstream, paying the rest downstream.</summary>
    Middleman,

    /// <summary>The driver being paid its price.</summary>
    Replier,

    /// <summary>
    /// A favour priced in sats (favour-price-msat): earned by the peer that granted it when its invoice settles, paid
    /// (price plus Lightning fee) by the peer that asked, originator or relay. Apart so favour trade is visible on its own.
    /// </summary>
    Favour,
}
