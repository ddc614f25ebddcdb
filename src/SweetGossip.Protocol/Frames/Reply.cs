using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Frames;

/// <summary>
/// A job offer on its way back to the originator. Middlemen can read only the routing and
/// payment fields: the header is sealed to the originator's reply key, the body additionally
/// to the payment preimage (pay-to-reveal). <see cref="Invoice"/> is the sending hop's hold
/// invoice under <see cref="PaymentHash"/>.
/// </summary>
public sealed record Reply(
    PayloadId PayloadId,
    Hash32 PaymentHash,
    ulong ReplierPriceMsat,
    string Invoice,
    Bytes SealedHeader,
    Bytes SealedBody) : Frame
{
    public override string Name => nameof(Reply);
}
