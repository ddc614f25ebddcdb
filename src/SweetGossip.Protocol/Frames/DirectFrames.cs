using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Frames;

/// <summary>Originator to replier, directly: "I paid (here is the preimage) and hold this body."</summary>
public sealed record Validate(PayloadId PayloadId, Hash32 SealedBodyHash, Hash32 PaymentPreimage) : Frame
{
    public override string Name => nameof(Validate);
}

/// <summary>Replier to originator, directly: a signed "yes, that body is mine", so no middleman tampered with it.</summary>
public sealed record Ack(PayloadId PayloadId, Hash32 SealedBodyHash, Bytes ReplierSignature) : Frame
{
    public override string Name => nameof(Ack);
}

/// <summary>
/// The whitepaper's "thank you secret": the payment preimage, passed back hop by hop once a hop is
/// paid, so every middleman can settle its own hold invoice and knows who thanks and who does not.
/// </summary>
public sealed record ThankYou(PayloadId PayloadId, Hash32 PaymentPreimage) : Frame
{
    public override string Name => nameof(ThankYou);
}
