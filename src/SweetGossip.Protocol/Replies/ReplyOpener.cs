using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Replies;

/// <summary>The originator's side of pay-to-reveal: check before paying, open after paying, confirm directly.</summary>
public static class ReplyOpener
{
    /// <summary>
    /// Before paying: opens the header and checks the replier is certified and signed a commitment
    /// to exactly this reply (payload, payment hash, sealed body, price). Throws with the reason otherwise.
    /// </summary>
    public static ReplyHeader OpenHeader(Reply reply, PrivateKey replyKey, TrustedAuthorities authorities, DateTimeOffset now)
    {
        var header = OpenSignedHeader(reply, replyKey);
        var certificate = CertificateVerifier.Verify(header.ReplierCertificate, authorities, now);
        if (certificate != CertificateVerdict.Valid)
            throw new ReplyRejectedException($"replier {certificate.Describe()}");
        return header;
    }

    /// <summary>
    /// The header, once it is shown to hold the replier's signed commitment to exactly this reply.
    /// Says nothing of the certificate's standing: that is the caller's question.
    /// </summary>
    public static ReplyHeader OpenSignedHeader(Reply reply, PrivateKey replyKey)
    {
        byte[] headerBytes;
        try
        {
            headerBytes = SealedBox.Open(replyKey, reply.SealedHeader.Span, ReplyAssociatedData.For("header", reply.PayloadId, reply.PaymentHash));
        }
        catch (CryptoFormatException e)
        {
            throw new ReplyRejectedException($"reply header does not open with this topic's reply key: {e.Message}");
        }
        ReplyHeader header;
        try
        {
            header = ReplyWire.ParseHeader(headerBytes);
        }
        catch (FrameFormatException e)
        {
            throw new ReplyRejectedException($"reply header is malformed: {e.Message}");
        }
        var c = header.Commitment;
        if (c.PayloadId != reply.PayloadId || c.PaymentHash != reply.PaymentHash)
            throw new ReplyRejectedException("replier's commitment is for another payload or payment hash");
        if (c.SealedBodyHash != reply.SealedBody.Sha256())
            throw new ReplyRejectedException("replier's commitment does not match the sealed body carried: a middleman swapped it");
        if (c.ReplierPriceMsat != reply.ReplierPriceMsat)
            throw new ReplyRejectedException("replier's committed price differs from the price the reply carries");
        if (!DomainSignature.Verify(header.ReplierCertificate.Body.Subject, SignatureDomains.ReplyCommitment, header.CommitmentBytes.Span, header.CommitmentSignature.Span))
            throw new ReplyRejectedException("replier's commitment signature does not verify");
        return header;
    }

    /// <summary>
    /// After paying: opens the body with the preimage the payment revealed. A failure here after a
    /// valid header is fraud by the replier, provable with <see cref="FraudEvidence"/>.
    /// </summary>
    public static ReplyBody OpenBody(Reply reply, PrivateKey replyKey, Hash32 preimage, SignedRequestPayload request)
    {
        var body = OpenPaidBody(reply, replyKey, preimage);
        if (body.RequestPayloadHash != request.PayloadHash)
            throw new ReplyRejectedException("reply answers another request than this topic's");
        return body;
    }

    /// <summary>The body, opened with the reply key and the paid preimage; throws with the reason if it does not open.</summary>
    internal static ReplyBody OpenPaidBody(Reply reply, PrivateKey replyKey, Hash32 preimage)
    {
        if (preimage.Sha256() != reply.PaymentHash)
            throw new ReplyRejectedException("preimage does not hash to the reply's payment hash");
        byte[] bodyBytes;
        try
        {
            bodyBytes = SealedBox.Open(replyKey, reply.SealedBody.Span, ReplyAssociatedData.For("body", reply.PayloadId, reply.PaymentHash), preimage.ToArray());
        }
        catch (CryptoFormatException e)
        {
            throw new ReplyRejectedException($"paid reply body does not open: {e.Message}");
        }
        try
        {
            return ReplyWire.ParseBody(bodyBytes);
        }
        catch (FrameFormatException e)
        {
            throw new ReplyRejectedException($"paid reply body is malformed: {e.Message}");
        }
    }

    /// <summary>Originator's direct check with the replier (whitepaper's "Validate").</summary>
    public static Validate Validation(Reply reply, Hash32 preimage) => new(reply.PayloadId, reply.SealedBody.Sha256(), preimage);

    /// <summary>Checks the replier's Ack: signed by the key in the header, over the body the originator holds.</summary>
    public static bool AckConfirms(Ack ack, Reply reply, ReplyHeader header) =>
        ack.PayloadId == reply.PayloadId
        && ack.SealedBodyHash == reply.SealedBody.Sha256()
        && DomainSignature.Verify(header.ReplierCertificate.Body.Subject, SignatureDomains.Ack,
            ReplySealer.AckMessage(ack.PayloadId, ack.SealedBodyHash), ack.ReplierSignature.Span);
}
