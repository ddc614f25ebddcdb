using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Tests.Transport;

/// <summary>
/// An attacker's view of one handshake leg, computed step by step from the protocol description:
/// it knows its own ephemeral secret, so it can open and seal the identity proofs of that leg.
/// Lets tests relay or reflect proofs between legs the way a man in the middle would.
/// </summary>
internal sealed class ManualLeg
{
    private readonly HandshakeTranscript _transcript = new();
    private readonly LinkCipher _cipher;

    /// <summary>A leg where we hold <paramref name="ours"/> and saw act1 and the act2 prefix (version ‖ ephemeral).</summary>
    public ManualLeg(PrivateKey ours, PublicKey theirs, byte[] act1Body, ReadOnlySpan<byte> act2Prefix)
    {
        _transcript.Mix(act1Body);
        _transcript.Mix(act2Prefix);
        _cipher = new LinkCipher(LinkKeys.Handshake(Ecdh.SharedSecret(ours, theirs), _transcript.Hash));
    }

    /// <summary>act2's sealed proof → identity ‖ signature (96 bytes); mixes it into the transcript.</summary>
    public byte[] OpenAct2Proof(ReadOnlySpan<byte> sealedProof)
    {
        var plaintext = new byte[LinkProtocol.IdentityProofBytes];
        Assert.True(_cipher.TryOpen(sealedProof, _transcript.Hash, plaintext));
        _transcript.Mix(sealedProof);
        return plaintext;
    }

    /// <summary>Seals a proof as act2's payload (nonce 0); mixes it into the transcript.</summary>
    public byte[] SealAct2Proof(byte[] proof)
    {
        var sealedProof = new byte[LinkProtocol.SealedIdentityProofBytes];
        _cipher.Seal(proof, _transcript.Hash, sealedProof);
        _transcript.Mix(sealedProof);
        return sealedProof;
    }

    /// <summary>act3's sealed proof (nonce 1) → identity ‖ signature.</summary>
    public byte[] OpenAct3Proof(ReadOnlySpan<byte> sealedProof)
    {
        var plaintext = new byte[LinkProtocol.IdentityProofBytes];
        Assert.True(_cipher.TryOpen(sealedProof, _transcript.Hash, plaintext));
        return plaintext;
    }

    /// <summary>Seals a proof as act3 (nonce 1), length-prefixed.</summary>
    public byte[] SealAct3(byte[] proof)
    {
        var act3 = new byte[LinkProtocol.Act3Bytes];
        _cipher.Seal(proof, _transcript.Hash, act3);
        return LengthPrefix.Wrap(act3);
    }

    public static byte[] Act1Body(PrivateKey ephemeral) => [LinkProtocol.Version, .. ephemeral.PublicKey.Span];
}
