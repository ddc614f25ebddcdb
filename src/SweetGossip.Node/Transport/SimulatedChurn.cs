namespace SweetGossip.Node.Transport;

// Commands a simulation gives an in-memory transport to model mobile connectivity. A real node meets
// the same events from its TCP links; the node's actors see only links closing and opening.

/// <summary>Go offline: close every link and stop answering at this address.</summary>
public sealed record GoOffline
{
    public static readonly GoOffline Instance = new();
}

/// <summary>Come back: answer at this address again and dial <paramref name="Dial"/>.</summary>
public sealed record GoOnline(IReadOnlyList<string> Dial);

/// <summary>Lose the link(s) to <paramref name="Address"/> (a mobile link breaking).</summary>
public sealed record DropLink(string Address);
