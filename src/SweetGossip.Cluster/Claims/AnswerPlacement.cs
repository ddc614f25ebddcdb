using SweetGossip.Cluster.Peers;
using SweetGossip.Cluster.Serialization;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Claims;

/// <summary>
/// To the topic-claims region, from the member a peer's answer came in on when no ask or topic there takes it: the answer
/// names <paramref name="PayloadId"/>, so the entity that holds that payload's claim hands it to the claiming member's
/// node only (not to every member). Answered <see cref="AnswerNotPlaced"/> when it cannot.
/// </summary>
public sealed record PlaceAnswer(PayloadId PayloadId, FrameViaMember Answer) : IHubMessage;

/// <summary>
/// The claim entity could not hand <paramref name="Answer"/> on: no member claimed the payload within the claim retention
/// (<paramref name="Claimed"/> false). A claim that came over in a shard hand-over without its owner's node sends the
/// answer to the owner member's own topic instead; <paramref name="Claimed"/> true is kept on the wire for members of an
/// earlier version.
/// </summary>
public sealed record AnswerNotPlaced(PayloadId PayloadId, FrameViaMember Answer, bool Claimed) : IHubMessage;
