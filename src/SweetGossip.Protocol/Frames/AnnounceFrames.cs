using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Frames;

/// <summary>
/// "I carry this payload; do you want it?" — an ask without the payload (announce dissemination, docs/protocol.md D24).
/// A peer that has not seen <see cref="PayloadId"/> answers with <see cref="FavourConditions"/> for <see cref="AskId"/>,
/// its favour bound to <see cref="PayloadHash"/>; a peer that has seen it stays silent.
/// </summary>
public sealed record TopicAnnouncement(AskId AskId, PayloadId PayloadId, Hash32 PayloadHash, int HopsRemaining) : Frame
{
    public override string Name => nameof(TopicAnnouncement);
}

/// <summary>
/// "I received this payload elsewhere" (GossipSub's IDONTWANT): to a peer holding an unredeemed favour for it, so it
/// neither solves nor sends the broadcast.
/// </summary>
public sealed record AlreadyHave(PayloadId PayloadId) : Frame
{
    public override string Name => nameof(AlreadyHave);
}

/// <summary>
/// "I will not redeem the favour you granted me for this payload" (its conditions were too hard or too dear for the
/// announcer): the granting peer asks its next announcer at once instead of waiting out deliver-timeout.
/// </summary>
public sealed record FavourDeclined(PayloadId PayloadId) : Frame
{
    public override string Name => nameof(FavourDeclined);
}
