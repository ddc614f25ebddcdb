using SweetGossip.Protocol.Frames;

namespace SweetGossip.Protocol.Gossip;

/// <summary>Why a favour book granted no conditions for an ask.</summary>
public enum FavourRefusal
{
    /// <summary>The peer already holds an open favour for this payload: one per (asking peer, payload).</summary>
    AlreadyOpen,

    /// <summary>The peer holds as many open favours as one peer may.</summary>
    PeerAtCapacity,

    /// <summary>The book is full of favours already paid for: none may be evicted, so no new one is granted.</summary>
    BookFull,

    /// <summary>The favour's invoice leaves less than the redeem margin: it could not be paid and still redeemed.</summary>
    TooLate,
}

/// <summary>The conditions granted for an ask, or why none were.</summary>
public readonly record struct FavourGrant<T>(T? Conditions, FavourRefusal? Refusal, string? Reason) where T : FavourConditions
{
    public bool Granted => Conditions is not null;

    public static FavourGrant<T> Refused(FavourRefusal refusal, string reason) => new(null, refusal, reason);
}
