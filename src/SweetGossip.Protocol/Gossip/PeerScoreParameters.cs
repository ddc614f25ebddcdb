namespace SweetGossip.Protocol.Gossip;

/// <summary>A scoring parameter out of its bounds: its key under <c>sweetgossip.scoring</c>, and why.</summary>
public sealed record ScoringProblem(string Key, string Reason)
{
    public override string ToString() => $"{Key}: {Reason}";
}

/// <summary>
/// How a node scores its peers, kept apart from routing as GossipSub does: a weighted sum of what a peer did,
/// positive credit capped, both parts decaying (penalties slowly), with a threshold below which the peer's link is
/// dropped and its identity banned for <see cref="BanPeriod"/>. The weights make one forged frame outweigh many good
/// deliveries, and duplicates cost a little (chatterbox) without being fatal. Penalties also count, by
/// <see cref="PrefixWeight"/>, against the peer's address prefix (IPv4 /24, IPv6 /64), so fresh keys from one network
/// inherit what its other keys did. Defaults live in reference.conf (<c>sweetgossip.scoring</c>); these are the same.
/// </summary>
public sealed record PeerScoreParameters
{
    public static readonly PeerScoreParameters Default = new();

    public double FirstDeliveryWeight { get; init; } = 1;

    public double ThankedWeight { get; init; } = 2;

    public double MalformedWeight { get; init; } = -50;

    public double InvalidWeight { get; init; } = -40;

    public double WrongProofWeight { get; init; } = -25;

    public double DuplicateWeight { get; init; } = -0.5;

    public double FloodWeight { get; init; } = -10;

    /// <summary>Small: an honest peer may pass its topics to others for a while; only a steady dropper sinks (and is asked last meanwhile).</summary>
    public double DeliveryDeficitWeight { get; init; } = -1;

    public double UnredeemedFavourWeight { get; init; } = -5;

    public double UndeliveredFavourWeight { get; init; } = -5;

    /// <summary>Good behaviour banks at most this much credit (an attacker cannot save up for a burst of bad frames).</summary>
    public double PositiveCap { get; init; } = 50;

    /// <summary>Credit left after a minute, per unit: credit must be kept up.</summary>
    public double PositiveDecayPerMinute { get; init; } = 0.9;

    /// <summary>Penalty left after a minute, per unit: slow, so that a dropped peer comes back still penalised (0.99: halved in ~69 min).</summary>
    public double NegativeDecayPerMinute { get; init; } = 0.99;

    /// <summary>A part of a score that has decayed below this is zero; a score at zero both ways is forgotten first.</summary>
    public double DecayToZero { get; init; } = 0.1;

    /// <summary>Below this the link is dropped, what the peer sent meanwhile is ignored, and its identity is banned.</summary>
    public double DisconnectThreshold { get; init; } = -50;

    /// <summary>How long a dropped identity (or a banned prefix) is refused; after it, while its score is below the threshold, still.</summary>
    public TimeSpan BanPeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The share of each penalty that also counts against the peer's address prefix (0: prefixes are not scored).</summary>
    public double PrefixWeight { get; init; } = 0.25;

    /// <summary>A prefix whose penalty falls below this is banned: every connection from it is refused before its handshake.</summary>
    public double PrefixBanThreshold { get; init; } = -100;

    /// <summary>Identities the book remembers (those with a live link may go past it).</summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>Address prefixes the book remembers.</summary>
    public int PrefixCapacity { get; init; } = 4_096;

    public double Weight(PeerBehaviour behaviour) => behaviour switch
    {
        PeerBehaviour.FirstDelivery => FirstDeliveryWeight,
        PeerBehaviour.Thanked => ThankedWeight,
        PeerBehaviour.MalformedFrame => MalformedWeight,
        PeerBehaviour.InvalidFrame => InvalidWeight,
        PeerBehaviour.WrongProof => WrongProofWeight,
        PeerBehaviour.Duplicate => DuplicateWeight,
        PeerBehaviour.Flood => FloodWeight,
        PeerBehaviour.DeliveryDeficit => DeliveryDeficitWeight,
        PeerBehaviour.UnredeemedFavour => UnredeemedFavourWeight,
        PeerBehaviour.UndeliveredFavour => UndeliveredFavourWeight,
        _ => 0,
    };

    /// <summary>
    /// The first rule these parameters break, or null: as GossipSub's <c>PeerScoreParams.validate()</c>, rewards are
    /// not negative, penalties not positive, decays in (0, 1), thresholds negative and ordered, sizes positive.
    /// </summary>
    public ScoringProblem? Validate()
    {
        foreach (var (key, weight) in new[] { ("weights.first-delivery", FirstDeliveryWeight), ("weights.thanked", ThankedWeight) })
            if (!double.IsFinite(weight) || weight < 0)
                return new(key, $"must be 0 or more: it rewards good behaviour (got {weight})");
        foreach (var (key, weight) in new[]
                 {
                     ("weights.malformed-frame", MalformedWeight), ("weights.invalid-frame", InvalidWeight), ("weights.wrong-proof", WrongProofWeight),
                     ("weights.duplicate", DuplicateWeight), ("weights.flood", FloodWeight), ("weights.delivery-deficit", DeliveryDeficitWeight),
                     ("weights.unredeemed-favour", UnredeemedFavourWeight), ("weights.undelivered-favour", UndeliveredFavourWeight),
                 })
            if (!double.IsFinite(weight) || weight > 0)
                return new(key, $"must be 0 or less: it is a penalty (got {weight})");
        if (!double.IsFinite(PositiveCap) || PositiveCap < 0)
            return new("positive-cap", $"must be 0 or more (got {PositiveCap})");
        foreach (var (key, decay) in new[] { ("positive-decay-per-minute", PositiveDecayPerMinute), ("negative-decay-per-minute", NegativeDecayPerMinute), ("decay-to-zero", DecayToZero) })
            if (!(decay > 0 && decay < 1))
                return new(key, $"must be between 0 and 1, both excluded (got {decay})");
        if (!double.IsFinite(DisconnectThreshold) || DisconnectThreshold >= 0)
            return new("disconnect-threshold", $"must be below 0, or a fresh peer's first duplicate drops it (got {DisconnectThreshold})");
        if (!double.IsFinite(PrefixBanThreshold) || PrefixBanThreshold > DisconnectThreshold)
            return new("prefix-ban-threshold", $"must be at most disconnect-threshold ({DisconnectThreshold}): banning a whole prefix takes more than dropping one peer (got {PrefixBanThreshold})");
        if (BanPeriod <= TimeSpan.Zero)
            return new("ban-period", $"must be a positive duration (got {BanPeriod})");
        if (!(PrefixWeight >= 0 && PrefixWeight <= 1))
            return new("prefix-weight", $"must be 0..1: the share of a peer's penalty its prefix takes (got {PrefixWeight})");
        if (Capacity < 1)
            return new("capacity", $"must be at least 1 (got {Capacity})");
        if (PrefixCapacity < 1)
            return new("prefix-capacity", $"must be at least 1 (got {PrefixCapacity})");
        return null;
    }
}
