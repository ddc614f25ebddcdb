namespace SweetGossip.Protocol.Gossip;

/// <summary>What a peer did that counts for or against it.</summary>
public enum PeerBehaviour
{
    /// <summary>Delivered a valid topic this node had not seen.</summary>
    FirstDelivery,
    /// <summary>Paid for a reply it asked for (a ThankYou arrived).</summary>
    Thanked,
    /// <summary>Sent bytes that are not a well-formed frame.</summary>
    MalformedFrame,
    /// <summary>Sent a forged signature, a revoked or untrusted certificate, or an invalid topic.</summary>
    InvalidFrame,
    /// <summary>Sent a proof that does not meet the favour's conditions, or reused a favour.</summary>
    WrongProof,
    /// <summary>Sent a topic this node had already seen from it.</summary>
    Duplicate,
    /// <summary>Sent faster than its rate limit.</summary>
    Flood,
    /// <summary>
    /// Was handed another topic while it has offered this node none since its last several (GossipSub's mesh-delivery
    /// deficit, P3): a peer that takes topics and never passes any on.
    /// </summary>
    DeliveryDeficit,
    /// <summary>
    /// Let a priced favour granted for its announcement expire with its invoice unpaid, neither declined nor told the
    /// payload arrived: an announcement is free to fake, the invoice it made this node create was not.
    /// </summary>
    UnredeemedFavour,
    /// <summary>
    /// Let a proof-of-work favour granted for its announcement expire without delivering the payload, neither declined
    /// nor told the payload arrived: it held the payload's turn (the next announcer waited deliver-timeout) for nothing.
    /// </summary>
    UndeliveredFavour,
}

/// <summary>
/// One score (a peer's, or a prefix's penalty): credit capped at <see cref="PeerScoreParameters.PositiveCap"/>, penalties
/// unbounded, each decaying at its own rate and zeroed once below <see cref="PeerScoreParameters.DecayToZero"/>
/// (GossipSub's decay to zero). Not thread-safe: <see cref="PeerScoreBook"/> guards it.
/// </summary>
public sealed class PeerScore(PeerScoreParameters parameters, DateTimeOffset since)
{
    private double _positive;
    private double _negative;
    private DateTimeOffset _decayedAt = since;

    /// <summary>The score as of the last record or <see cref="ValueAt"/>.</summary>
    public double Value => _positive + _negative;

    /// <summary>The penalties part (0 or less), as of the last record or <see cref="ValueAt"/>.</summary>
    public double Negative => _negative;

    /// <summary>Nothing left either way once decayed to <paramref name="now"/>: forgetting it changes nothing.</summary>
    public bool IsNeutralAt(DateTimeOffset now)
    {
        Decay(now);
        return _positive == 0 && _negative == 0;
    }

    public bool BelowThreshold => Value < parameters.DisconnectThreshold;

    public double Record(PeerBehaviour behaviour, DateTimeOffset now) => Add(parameters.Weight(behaviour), now);

    /// <summary>Adds a weight (a reward if positive, a penalty if negative) after decaying to <paramref name="now"/>.</summary>
    public double Add(double weight, DateTimeOffset now)
    {
        Decay(now);
        if (weight >= 0)
            _positive = Math.Min(parameters.PositiveCap, _positive + weight); // good behaviour cannot bank unlimited credit
        else
            _negative += weight;
        return Value;
    }

    public double ValueAt(DateTimeOffset now)
    {
        Decay(now);
        return Value;
    }

    private void Decay(DateTimeOffset now)
    {
        var minutes = (now - _decayedAt).TotalMinutes;
        if (minutes <= 0) return;
        _positive = ToZero(_positive * Math.Pow(parameters.PositiveDecayPerMinute, minutes));
        _negative = ToZero(_negative * Math.Pow(parameters.NegativeDecayPerMinute, minutes));
        _decayedAt = now;
    }

    private double ToZero(double part) => Math.Abs(part) < parameters.DecayToZero ? 0 : part;
}
