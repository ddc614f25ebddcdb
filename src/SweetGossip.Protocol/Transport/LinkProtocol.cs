using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Transport;

/// <summary>Sizes and labels of the encrypted peer link (handshake and records), in one place.</summary>
public static class LinkProtocol
{
    /// <summary>First byte of act1 and act2; anything else is refused, so a future v2 cannot be misread as v1.</summary>
    public const byte Version = 1;

    /// <summary>Largest handshake message a peer may declare; the real ones are far smaller.</summary>
    public const int MaxHandshakeMessageBytes = 512;

    public const int KeyBytes = 32;
    public const int TagBytes = 16;
    public const int NonceBytes = 12;

    /// <summary>identity (32) ‖ signature (64), before encryption.</summary>
    public const int IdentityProofBytes = 32 + 64;

    /// <summary>The identity proof after ChaCha20-Poly1305 (ciphertext ‖ tag).</summary>
    public const int SealedIdentityProofBytes = IdentityProofBytes + TagBytes;

    /// <summary>version ‖ initiator ephemeral.</summary>
    public const int Act1Bytes = 1 + 32;

    /// <summary>version ‖ responder ephemeral ‖ sealed responder identity proof.</summary>
    public const int Act2Bytes = 1 + 32 + SealedIdentityProofBytes;

    /// <summary>sealed initiator identity proof.</summary>
    public const int Act3Bytes = SealedIdentityProofBytes;

    /// <summary>Largest ciphertext ‖ tag a transport record may declare: one full frame plus the tag.</summary>
    public const int MaxRecordBytes = WireLimits.MaxFrameBytes + TagBytes;

    // The transcript starts from a hash of this name, so a transcript of another protocol
    // (or another version of this one) can never equal ours.
    internal static ReadOnlySpan<byte> ProtocolName => "SweetGossip/link/v1"u8;

    internal static ReadOnlySpan<byte> HandshakeKeyInfo => "handshake"u8;

    internal static ReadOnlySpan<byte> TransportKeyInfo => "transport"u8;

    // BIP-340 tags of the two identity signatures: distinct per role, so one side's signature
    // can never be replayed as the other's, and distinct from every other SweetGossip signature.
    internal const string ResponderSignatureTag = "SweetGossip/link-handshake/responder";

    internal const string InitiatorSignatureTag = "SweetGossip/link-handshake/initiator";
}
