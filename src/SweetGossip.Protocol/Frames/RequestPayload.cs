using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;

namespace SweetGossip.Protocol.Frames;

/// <summary>
/// What the originator signs: the topic, who vouches for the originator, and the fresh key
/// replies are sealed to. The reply key is inside the signature so no middleman can swap it
/// for its own and read the replies.
/// </summary>
public sealed record RequestPayload(
    PayloadId PayloadId,
    Topic Topic,
    SignedCertificate OriginatorCertificate,
    PublicKey ReplyPublicKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);
