using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Observation;

/// <summary>
/// Which side of a payment a node was on, for earnings by role. FavourPaid: a priced favour this node asked for (price plus
/// Lightning fee); FavourEarned: a priced favour this node granted, reported when its invoice settled.
/// </summary>
public enum PaymentSide { OriginatorPaid, MiddlemanEarned, ReplierEarned, FavourPaid, FavourEarned }

/// <summary>
/// What a node reports about itself for measurement (the simulator's metrics, an operator's counters).
/// Called from the node's actors, so implementations must be thread-safe and quick; the default does
/// nothing. Times are the node's clock.
/// </summary>
public interface INodeObserver
{
    /// <summary>This node accepted a topic it had not seen; <paramref name="hopsRemaining"/> is as received.</summary>
    void TopicAccepted(PublicKey node, PayloadId payload, PublicKey from, int hopsRemaining, DateTimeOffset at) { }

    /// <summary>
    /// This member of a hub accepted a topic, but the hub gave it to another member (<paramref name="owner"/>), or did not
    /// answer in time (owner "none"): this member does not relay it.
    /// </summary>
    void TopicClaimLost(PublicKey node, PayloadId payload, string owner, DateTimeOffset at) { }

    /// <summary>This node originated a topic.</summary>
    void TopicOriginated(PublicKey node, PayloadId payload, DateTimeOffset at) { }

    /// <summary>A peer offered a topic this node had already seen (another path, or a repeat).</summary>
    void DuplicateOffered(PublicKey node, PayloadId payload, PublicKey from, DateTimeOffset at) { }

    /// <summary>This node sent a frame of <paramref name="bytes"/> encoded bytes to <paramref name="to"/>.</summary>
    void FrameSent(PublicKey node, PublicKey to, string frame, int bytes, DateTimeOffset at) { }

    /// <summary>
    /// As <see cref="FrameSent(PublicKey, PublicKey, string, int, DateTimeOffset)"/>, with the payload the frame is about
    /// (<see cref="FramePayload.Of"/>; null when it names none). The node calls this one; by default it forwards to the other.
    /// </summary>
    void FrameSent(PublicKey node, PublicKey to, string frame, PayloadId? payload, int bytes, DateTimeOffset at) => FrameSent(node, to, frame, bytes, at);

    /// <summary>
    /// This node's score book recorded a judgement of <paramref name="peer"/> (by one of its links or by its guardian):
    /// the peer's score is now <paramref name="score"/>; <paramref name="banned"/>: the peer is banned after it.
    /// </summary>
    void PeerScored(PublicKey node, PublicKey peer, PeerBehaviour behaviour, double score, bool banned, DateTimeOffset at) { }

    /// <summary>
    /// The proof-of-work difficulty this node asks of <paramref name="peer"/> is now <paramref name="bits"/>, after a
    /// favour it granted that peer was thanked (<paramref name="thanked"/>) or never was.
    /// </summary>
    void DifficultyChanged(PublicKey node, PublicKey peer, int bits, bool thanked, DateTimeOffset at) { }

    /// <summary>This node solved a proof of work.</summary>
    void PowSolved(PublicKey node, long hashes, DateTimeOffset at) { }

    /// <summary>Money moved for this node.</summary>
    void Payment(PublicKey node, PaymentSide side, ulong msat, DateTimeOffset at) { }

    /// <summary>This node, as originator, received a paid, opened offer from <paramref name="replier"/> (its certificate's subject).</summary>
    void ReplyDelivered(PublicKey node, PayloadId payload, PublicKey replier, bool ackConfirmed, DateTimeOffset at) { }
}

/// <summary>The observer that observes nothing.</summary>
public sealed class NoObserver : INodeObserver
{
    public static readonly NoObserver Instance = new();
}
