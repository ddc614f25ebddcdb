using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Replies;

/// <summary>
/// What an originator who paid for garbage hands to the replier's authority: the reply, the
/// preimage it paid for, and the topic's reply private key (fresh per topic, so disclosing it
/// costs nothing). Anyone can re-check it; a proven case justifies revoking the replier.
/// </summary>
public sealed record FraudEvidence(Reply Reply, Hash32 Preimage, PrivateKey ReplyKey)
{
    /// <summary>True when the replier signed a commitment to this body and payment hash, was paid, and the body does not open.</summary>
    public bool ProvesFraud(out CertificateSerial? replierSerial)
    {
        replierSerial = null;
        if (Preimage.Sha256() != Reply.PaymentHash)
            return false;
        ReplyHeader header;
        try
        {
            var headerBytes = SealedBox.Open(ReplyKey, Reply.SealedHeader.Span, ReplyAssociatedData.For("header", Reply.PayloadId, Reply.PaymentHash));
            header = ReplyWire.ParseHeader(headerBytes);
        }
        catch (Exception e) when (e is CryptoFormatException or FrameFormatException)
        {
            return false; // no signed commitment: nothing to hold the replier to
        }
        var c = header.Commitment;
        var signed = DomainSignature.Verify(header.ReplierCertificate.Body.Subject, SignatureDomains.ReplyCommitment,
            header.CommitmentBytes.Span, header.CommitmentSignature.Span);
        if (!signed || c.PaymentHash != Reply.PaymentHash || c.SealedBodyHash != Reply.SealedBody.Sha256())
            return false;
        try
        {
            var body = SealedBox.Open(ReplyKey, Reply.SealedBody.Span, ReplyAssociatedData.For("body", Reply.PayloadId, Reply.PaymentHash), Preimage.ToArray());
            ReplyWire.ParseBody(body);
            return false; // it opens: no fraud
        }
        catch (Exception e) when (e is CryptoFormatException or FrameFormatException)
        {
            replierSerial = header.ReplierCertificate.Body.Serial;
            return true;
        }
    }
}
