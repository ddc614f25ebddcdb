using SweetGossip.Protocol.Topics;

namespace SweetGossip.Node.Policies;

/// <summary>What a worker offers for a topic it wants: the message, and its price.</summary>
public sealed record ReplyOffer(string Message, ulong PriceMsat);

/// <summary>Decides whether this node takes a job (becomes the replier) instead of relaying it.</summary>
public interface IReplyPolicy
{
    ReplyOffer? Decide(Topic topic, DateTimeOffset now);
}

/// <summary>Never replies: a pure relay.</summary>
public sealed class NeverReply : IReplyPolicy
{
    public static readonly NeverReply Instance = new();

    public ReplyOffer? Decide(Topic topic, DateTimeOffset now) => null;
}

/// <summary>
/// A taxi driver: replies to taxi topics whose pickup lies in its area (a geohash prefix) and whose
/// window it can make (it is available from now on, so the window must not have ended).
/// </summary>
public sealed class TaxiDriverPolicy(string area, ulong priceMsat, string message) : IReplyPolicy
{
    public ReplyOffer? Decide(Topic topic, DateTimeOffset now) =>
        topic is TaxiTopic taxi && Geohash.Covers(area, taxi.PickupGeohash) && taxi.PickupBefore > now
            ? new ReplyOffer(message, priceMsat)
            : null;
}
