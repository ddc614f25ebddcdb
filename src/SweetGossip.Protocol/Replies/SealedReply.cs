using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Replies;

/// <summary>
/// A reply as the replier made it: the sealed parts every hop carries, plus the preimage only the
/// replier knows until it is paid. <see cref="ToFrame"/> adds the hop's invoice.
/// </summary>
public sealed record SealedReply(
    PayloadId PayloadId,
    Hash32 PaymentHash,
    Hash32 Preimage,
    ulong PriceMsat,
    Bytes SealedHeader,
    Bytes SealedBody)
{
    public Hash32 SealedBodyHash => SealedBody.Sha256();

    public Reply ToFrame(string invoice) => new(PayloadId, PaymentHash, PriceMsat, invoice, SealedHeader, SealedBody);
}
