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
}

/// <summary>
/// A peer's standing, kept apart from routing as GossipSub does: a weighted sum of what it did, decaying
/// over time, with a threshold below which the node drops the link. The weights make one forged frame
/// outweigh many good deliveries, and duplicates cost a little (chatterbox) without being fatal.
/// </summary>
public sealed record PeerScoreParameters(
    double FirstDeliveryWeight = 1,
    double FirstDeliveryCap = 50,
    double ThankedWeight = 2,
    double MalformedWeight = -50,
    double InvalidWeight = -40,
    double WrongProofWeight = -25,
    double DuplicateWeight = -0.5,
    double FloodWeight = -10,
    double DecayPerMinute = 0.9,
    double DisconnectThreshold = -50)
{
    public static readonly PeerScoreParameters Default = new();

    public double Weight(PeerBehaviour behaviour) => behaviour switch
    {
        PeerBehaviour.FirstDelivery => FirstDeliveryWeight,
        PeerBehaviour.Thanked => ThankedWeight,
        PeerBehaviour.MalformedFrame => MalformedWeight,
        PeerBehaviour.InvalidFrame => InvalidWeight,
        PeerBehaviour.WrongProof => WrongProofWeight,
        PeerBehaviour.Duplicate => DuplicateWeight,
        PeerBehaviour.Flood => FloodWeight,
        _ => 0,
    };
}

public sealed class PeerScore(PeerScoreParameters parameters, DateTimeOffset since)
{
    private double _positive;
    private double _negative;
    private DateTimeOffset _decayedAt = since;

    public double Value => _positive + _negative;

    public bool BelowThreshold => Value < parameters.DisconnectThreshold;

    public double Record(PeerBehaviour behaviour, DateTimeOffset now)
    {
        Decay(now);
        var weight = parameters.Weight(behaviour);
        if (weight >= 0)
            _positive = Math.Min(parameters.FirstDeliveryCap, _positive + weight); // good behaviour cannot bank unlimited credit
        else
            _negative += weight;
        return Value;
    }

    private void Decay(DateTimeOffset now)
    {
        var minutes = (now - _decayedAt).TotalMinutes;
        if (minutes <= 0) return;
        var factor = Math.Pow(parameters.DecayPerMinute, minutes);
        _positive *= factor;
        _negative *= factor;
        _decayedAt = now;
    }
}
