using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Frames;

/// <summary>
/// What the replier signs: this body, under this payment hash, at this price, answers this topic.
/// With the paid preimage it makes fraud provable to the replier's authority.
/// </summary>
public sealed record ReplyCommitment(PayloadId PayloadId, Hash32 PaymentHash, Hash32 SealedBodyHash, ulong ReplierPriceMsat);

/// <summary>Readable by the originator before paying: who offers, and their signed commitment.</summary>
public sealed record ReplyHeader(SignedCertificate ReplierCertificate, Bytes CommitmentBytes, Bytes CommitmentSignature, ReplyCommitment Commitment);

/// <summary>Readable only after paying: the offer itself and where to reach the replier directly.</summary>
public sealed record ReplyBody(string Message, string ContactAddress, Hash32 RequestPayloadHash);
