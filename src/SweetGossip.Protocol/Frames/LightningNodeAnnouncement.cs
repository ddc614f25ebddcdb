using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Frames;

/// <summary>
/// "My invoices are payable to this Lightning node": the first frame each side sends on a link, once.
/// <see cref="NodeId"/> is the node's public key as BOLT 7 and BOLT 11 write it (33-byte SEC1 compressed
/// secp256k1 point), so the receiver can refuse favour and reply invoices whose payee is another node.
/// The decoder checks it is a point on the curve; the link's handshake already proved who sent it.
/// </summary>
public sealed record LightningNodeAnnouncement(Bytes NodeId) : Frame
{
    /// <summary>Length of a Lightning node id: a compressed secp256k1 point.</summary>
    public const int NodeIdLength = Secp256k1.CompressedPointLength;

    public override string Name => nameof(LightningNodeAnnouncement);
}
