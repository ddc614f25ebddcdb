using System.Security.Cryptography;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Transport;

/// <summary>The accepting side: reads act1, answers with act2 (its proven identity), checks act3 (the initiator's).</summary>
internal sealed class ResponderHandshake(PrivateKey identity, PrivateKey ephemeral) : LinkHandshake
{
    private readonly HandshakeTranscript _transcript = new();

    // Set by act1 and kept for act3: the shared secret also seeds the transport keys.
    private byte[]? _sharedSecret;
    private LinkCipher? _cipher;

    private protected override string ExpectedAct => _cipher is null ? "act1" : "act3";

    /// <summary>The responder speaks second: nothing to send until act1 arrives.</summary>
    public override byte[] Start() => [];

    private protected override SecureLink? OnMessage(byte[] message, List<byte[]> toSend)
    {
        if (_cipher is null)
        {
            toSend.Add(LengthPrefix.Wrap(OnAct1(message)));
            return null;
        }
        return OnAct3(message);
    }

    private byte[] OnAct1(byte[] act1)
    {
        const string act = "act1";
        CheckVersionAndLength(act1, act, LinkProtocol.Act1Bytes);
        var initiatorEphemeral = ParseEphemeral(act1.AsSpan(1), act);
        _transcript.Mix(act1);

        var act2 = new byte[LinkProtocol.Act2Bytes];
        var prefixLength = 1 + PublicKey.Length;
        act2[0] = LinkProtocol.Version;
        ephemeral.PublicKey.Span.CopyTo(act2.AsSpan(1));
        _transcript.Mix(act2.AsSpan(0, prefixLength));

        _sharedSecret = Ecdh.SharedSecret(ephemeral, initiatorEphemeral);
        var handshakeKey = LinkKeys.Handshake(_sharedSecret, _transcript.Hash);
        try
        {
            // One cipher for both encrypted acts: act2 takes nonce 0, act3 nonce 1.
            _cipher = new LinkCipher(handshakeKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(handshakeKey);
        }

        var proof = IdentityProof.Seal(_cipher, identity, ephemeral, LinkProtocol.ResponderSignatureTag, _transcript.Hash);
        proof.CopyTo(act2, prefixLength);
        _transcript.Mix(proof);
        return act2;
    }

    private SecureLink OnAct3(byte[] act3)
    {
        const string act = "act3";
        try
        {
            CheckLength(act3, act, LinkProtocol.Act3Bytes);
            var initiator = IdentityProof.Open(_cipher!, act3, _transcript.Hash, act, "initiator_identity");
            if (initiator.Identity.Equals(identity.PublicKey))
                throw new LinkHandshakeException(act, "initiator_identity", "is our own identity (a reflection, or connected to ourselves)");
            initiator.Verify(LinkProtocol.InitiatorSignatureTag, _transcript.Hash, act, "initiator_signature");
            _transcript.Mix(act3);

            var (initiatorToResponder, responderToInitiator) = LinkKeys.Transport(_sharedSecret!, _transcript.Hash);
            try
            {
                return new SecureLink(initiator.Identity, responderToInitiator, initiatorToResponder);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(initiatorToResponder);
                CryptographicOperations.ZeroMemory(responderToInitiator);
            }
        }
        finally
        {
            // Success or failure, the handshake is over: its secrets have no further use.
            _cipher!.Dispose();
            CryptographicOperations.ZeroMemory(_sharedSecret!);
        }
    }
}
