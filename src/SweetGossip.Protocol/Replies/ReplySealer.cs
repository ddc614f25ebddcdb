using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Replies;

/// <summary>
/// The replier's side of pay-to-reveal. The body is sealed to the originator's reply key AND the
/// payment preimage, so the originator reads it only after paying, and middlemen (who learn the
/// preimage when they settle) never can. The header, sealed to the reply key alone, lets the
/// originator see who offers and their signed commitment before deciding to pay.
/// </summary>
public static class ReplySealer
{
    public static SealedReply Seal(
        SignedRequestPayload request,
        string message,
        string contactAddress,
        ulong priceMsat,
        SignedCertificate replierCertificate,
        PrivateKey replierKey,
        Hash32? preimage = null)
    {
        if (!replierKey.PublicKey.Equals(replierCertificate.Body.Subject))
            throw new ArgumentException("the replier key is not the replier certificate's subject key", nameof(replierKey));
        var payloadId = request.Payload.PayloadId;
        var replyKey = request.Payload.ReplyPublicKey;
        var secret = preimage ?? Hash32.Random();
        var paymentHash = secret.Sha256();
        var secretBytes = secret.ToArray();

        var bodyBytes = ReplyWire.EncodeBody(new ReplyBody(message, contactAddress, request.PayloadHash));
        var sealedBody = SealedBox.Seal(replyKey, bodyBytes, ReplyAssociatedData.For("body", payloadId, paymentHash), secretBytes);

        var commitmentBytes = ReplyWire.EncodeCommitment(new ReplyCommitment(payloadId, paymentHash, Hash32.Of(sealedBody), priceMsat));
        var commitmentSignature = DomainSignature.Sign(replierKey, SignatureDomains.ReplyCommitment, commitmentBytes);
        var headerBytes = ReplyWire.EncodeHeader(new ReplyHeader(
            replierCertificate, Bytes.Own(commitmentBytes), Bytes.Own(commitmentSignature), ReplyWire.ParseCommitment(commitmentBytes)));
        var sealedHeader = SealedBox.Seal(replyKey, headerBytes, ReplyAssociatedData.For("header", payloadId, paymentHash));

        if (sealedBody.Length > WireLimits.MaxSealedBodyBytes || sealedHeader.Length > WireLimits.MaxSealedHeaderBytes)
            throw new ArgumentException("reply is too large for the wire limits", nameof(message));
        return new SealedReply(payloadId, paymentHash, secret, priceMsat, Bytes.Own(sealedHeader), Bytes.Own(sealedBody));
    }

    /// <summary>The replier's answer to a direct Validate: a signature over (payload id, sealed body hash).</summary>
    public static Ack Acknowledge(Validate validate, SealedReply sent, PrivateKey replierKey)
    {
        if (validate.PayloadId != sent.PayloadId)
            throw new ReplyRejectedException("validate names another payload than the reply sent");
        if (validate.SealedBodyHash != sent.SealedBodyHash)
            throw new ReplyRejectedException("validate holds another body than the one sent: a middleman tampered with the reply");
        if (!validate.PaymentPreimage.FixedTimeEquals(sent.Preimage))
            throw new ReplyRejectedException("validate carries a wrong payment preimage");
        var signature = DomainSignature.Sign(replierKey, SignatureDomains.Ack, AckMessage(sent.PayloadId, sent.SealedBodyHash));
        return new Ack(sent.PayloadId, sent.SealedBodyHash, Bytes.Own(signature));
    }

    internal static byte[] AckMessage(PayloadId payloadId, Hash32 sealedBodyHash)
    {
        var message = new byte[Id16.Length + Hash32.Length];
        Id16.ToBytes(payloadId.Value).CopyTo(message, 0);
        sealedBodyHash.WriteTo(message.AsSpan(Id16.Length));
        return message;
    }
}
