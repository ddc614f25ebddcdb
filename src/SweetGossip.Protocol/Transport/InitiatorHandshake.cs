using System.Security.Cryptography;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Transport;

/// <summary>The connecting side: sends act1, checks act2 (the responder's proven identity), sends act3.</summary>
internal sealed class InitiatorHandshake(PrivateKey identity, PublicKey? expectedResponder, PrivateKey ephemeral) : LinkHandshake
{
    private readonly HandshakeTranscript _transcript = new();
    private bool _started;

    private protected override string ExpectedAct => "act2";

    public override byte[] Start()
    {
        if (_started)
            throw new InvalidOperationException("Start was already called");
        _started = true;

        var act1 = new byte[LinkProtocol.Act1Bytes];
        act1[0] = LinkProtocol.Version;
        ephemeral.PublicKey.Span.CopyTo(act1.AsSpan(1));
        _transcript.Mix(act1);
        return LengthPrefix.Wrap(act1);
    }

    private protected override void EnsureReadyToReceive()
    {
        if (!_started)
            throw new InvalidOperationException("call Start and send act1 before receiving");
    }

    private protected override SecureLink OnMessage(byte[] act2, List<byte[]> toSend)
    {
        const string act = "act2";
        CheckVersionAndLength(act2, act, LinkProtocol.Act2Bytes);
        var prefixLength = 1 + PublicKey.Length;
        var responderEphemeral = ParseEphemeral(act2.AsSpan(1, PublicKey.Length), act);
        _transcript.Mix(act2.AsSpan(0, prefixLength));

        var sharedSecret = Ecdh.SharedSecret(ephemeral, responderEphemeral);
        var handshakeKey = LinkKeys.Handshake(sharedSecret, _transcript.Hash);
        try
        {
            // One cipher for both encrypted acts: act2 takes nonce 0, act3 nonce 1.
            using var cipher = new LinkCipher(handshakeKey);
            var responder = IdentityProof.Open(cipher, act2.AsSpan(prefixLength), _transcript.Hash, act, "responder_identity");
            if (expectedResponder is not null && !responder.Identity.Equals(expectedResponder))
                throw new LinkHandshakeException(act, "responder_identity", $"is {responder.Identity.ToHex()}, expected {expectedResponder.ToHex()}");
            if (responder.Identity.Equals(identity.PublicKey))
                throw new LinkHandshakeException(act, "responder_identity", "is our own identity (connected to ourselves, or a reflection)");
            responder.Verify(LinkProtocol.ResponderSignatureTag, _transcript.Hash, act, "responder_signature");
            _transcript.Mix(act2.AsSpan(prefixLength));

            // Only now, with the responder proven, do we reveal who we are.
            var act3 = IdentityProof.Seal(cipher, identity, ephemeral, LinkProtocol.InitiatorSignatureTag, _transcript.Hash);
            _transcript.Mix(act3);
            toSend.Add(LengthPrefix.Wrap(act3));

            var (initiatorToResponder, responderToInitiator) = LinkKeys.Transport(sharedSecret, _transcript.Hash);
            try
            {
                return new SecureLink(responder.Identity, initiatorToResponder, responderToInitiator);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(initiatorToResponder);
                CryptographicOperations.ZeroMemory(responderToInitiator);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
            CryptographicOperations.ZeroMemory(handshakeKey);
        }
    }
}
