namespace SweetGossip.Node.Peers;

// The contract between a PeerConnection and whatever carries its bytes (TCP link, in-memory link).
// Frames cross it whole: the link does framing and encryption; the connection does decoding and policy.

/// <summary>Link → connection: one frame's bytes arrived.</summary>
public sealed record LinkFrameIn(byte[] Bytes);

/// <summary>Link → connection: several frames arrived together (one read), in order.</summary>
public sealed record LinkFramesIn(IReadOnlyList<byte[]> Frames);

/// <summary>Connection → link: send one frame's bytes.</summary>
public sealed record LinkFrameOut(byte[] Bytes);

/// <summary>Connection → link: close, and say why (logged on both sides where possible).</summary>
public sealed record CloseLink(string Reason);

/// <summary>Link → connection: the link is gone.</summary>
public sealed record LinkClosed(string Reason);

/// <summary>
/// A link that tells its connection <see cref="LinkClosed"/> whenever it closes and is never an actor that could stop
/// unannounced (an in-memory link end): its connection does not watch it (a watch is a dictionary entry per link).
/// </summary>
public interface IAnnouncesClosing;

/// <summary>
/// Link → connection: bytes the link did not send because it had closed (or was closing) when they came. The connection
/// hands the frame back to its node, which sends it on the peer's current link: nothing written is ever handed back.
/// </summary>
public sealed record LinkFrameNotSent(byte[] Bytes);
