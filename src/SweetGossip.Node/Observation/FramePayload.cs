using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Observation;

/// <summary>
/// The payload a frame is about, read from the frame object already in hand (nothing decoded again). Null for frames
/// that name none: conditions (only an ask id) and a Lightning node announcement.
/// </summary>
public static class FramePayload
{
    public static PayloadId? Of(Frame frame) => frame switch
    {
        AskForFavour ask => ask.SignedRequest.Payload.PayloadId,
        Broadcast broadcast => broadcast.SignedRequest.Payload.PayloadId,
        Reply reply => reply.PayloadId,
        ThankYou thanks => thanks.PayloadId,
        Validate validate => validate.PayloadId,
        Ack ack => ack.PayloadId,
        TopicAnnouncement announcement => announcement.PayloadId,
        AlreadyHave have => have.PayloadId,
        FavourDeclined declined => declined.PayloadId,
        _ => null,
    };
}
