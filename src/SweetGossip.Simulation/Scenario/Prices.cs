namespace SweetGossip.Simulation.Scenario;

/// <summary>What things cost, in millisatoshis (as on the wire, protocol.md D12).</summary>
public sealed record Prices
{
    /// <summary>The driver's (replier's) price for a reply, paid by the rider on top of the relay fees.</summary>
    public long DriverPriceMsat { get; init; } = 20_000_000;

    /// <summary>Each middleman's fee for carrying a reply back (added to <c>path_fee_msat</c>).</summary>
    public long RelayFeeMsat { get; init; } = 10_000;

    /// <summary>Lightning favour price per broadcast; 0 means favours are paid with proof of work instead.</summary>
    public long FavourPriceMsat { get; init; }
}
