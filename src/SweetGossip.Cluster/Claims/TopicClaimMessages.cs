using Akka.Actor;
using SweetGossip.Cluster.Serialization;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Claims;

/// <summary>Who relays a topic hub-wide: a member, and the link (caller's id, e.g. the peer's key in hex) the payload came in on.</summary>
public sealed record TopicOwner(Address Member, string LinkId)
{
    public const int MaxLinkIdLength = 128;

    public string LinkId { get; } = LinkId is { Length: > 0 and <= MaxLinkIdLength }
        ? LinkId
        : throw new ArgumentException($"a link id is 1..{MaxLinkIdLength} characters (got {LinkId?.Length ?? 0})", nameof(LinkId));

    public override string ToString() => $"{Member}/{LinkId}";
}

/// <summary>
/// To the topic-claims shard region: "this member wants to relay this payload". The first claim wins; the answer is
/// <see cref="TopicClaimed"/> (relay it) or <see cref="AlreadyClaimed"/> (another member relays it: drop it).
/// </summary>
/// <param name="ExpiresAt">The topic's expiry: the claim is remembered until then (bounded by the hub's retention limits).</param>
public sealed record ClaimTopic(PayloadId PayloadId, TopicOwner Claimant, DateTimeOffset ExpiresAt) : IHubMessage;

/// <summary>The answer to a <see cref="ClaimTopic"/>.</summary>
public abstract record TopicClaimAnswer(PayloadId PayloadId, TopicOwner Owner, DateTimeOffset ExpiresAt) : IHubMessage;

/// <summary>The claimant owns the topic (also the answer to a repeated claim by the same owner, so a retry is safe).</summary>
public sealed record TopicClaimed(PayloadId PayloadId, TopicOwner Owner, DateTimeOffset ExpiresAt)
    : TopicClaimAnswer(PayloadId, Owner, ExpiresAt);

/// <summary>Another owner claimed the topic first; <see cref="TopicClaimAnswer.Owner"/> says who.</summary>
public sealed record AlreadyClaimed(PayloadId PayloadId, TopicOwner Owner, DateTimeOffset ExpiresAt)
    : TopicClaimAnswer(PayloadId, Owner, ExpiresAt);

/// <summary>
/// A claim carried from a shard being handed off to the shard's next home (through the region, which buffers it
/// until the new home is known), so a rebalance or a graceful leave does not forget who owns a topic.
/// </summary>
internal sealed record RestoreClaim(PayloadId PayloadId, TopicOwner Owner, DateTimeOffset ExpiresAt) : IHubMessage;

/// <summary>Entity to itself: the claim's retention is over; passivate.</summary>
internal sealed record ForgetClaim
{
    public static readonly ForgetClaim Instance = new();
}

/// <summary>Shard to entity, when the shard is handed off: pass the claim on, then stop.</summary>
internal sealed record HandOffClaim
{
    public static readonly HandOffClaim Instance = new();
}
