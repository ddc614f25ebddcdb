using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

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
            return false; // not the payment this reply was committed to
        ReplyHeader header;
        try
        {
            header = ReplyOpener.OpenSignedHeader(Reply, ReplyKey);
        }
        catch (ReplyRejectedException)
        {
            return false; // no signed commitment to this reply: nothing to hold the replier to
        }
        try
        {
            ReplyOpener.OpenPaidBody(Reply, ReplyKey, Preimage);
            return false; // it opens: no fraud
        }
        catch (ReplyRejectedException)
        {
            replierSerial = header.ReplierCertificate.Body.Serial;
            return true;
        }
    }
}
