using Akka.Actor;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Node.Peers;

/// <summary>A link to <paramref name="Peer"/> is up; frames for it go to <paramref name="Connection"/>.</summary>
/// <param name="Dialled">This node dialled the link (outbound): peers it chose, which Sybils dialling in cannot be.</param>
public sealed record PeerConnected(PublicKey Peer, IActorRef Connection, bool Dialled = false);

public sealed record PeerDisconnected(PublicKey Peer, string Reason);

/// <summary>A well-formed frame from a peer, for the node to act on.</summary>
public sealed record FrameReceived(PublicKey Peer, Frame Frame)
{
    /// <summary>
    /// The Lightning node the peer announced on this link (set by the node when it hands conditions or a reply
    /// to a topic): invoices from this peer must pay it.
    /// </summary>
    public LightningNodeId? PeerLightningNode { get; init; }

    /// <summary>An ask whose request the peer connection's <see cref="FrameScreen"/> fully validated just now.</summary>
    public bool Verified { get; init; }

    /// <summary>Sent on another hub member's link (the peer's link here, if any, may be closed).</summary>
    public bool ViaMember { get; init; }
}

/// <summary>To a PeerConnection: encode and send.</summary>
public sealed record SendFrame(Frame Frame)
{
    // Whom to tell the encoded size, as fields rather than a closure and its delegate: one of these per frame sent.
    private Core.NodeSettings? _measuredBy;
    private TimeProvider? _clock;
    private PublicKey? _peer;

    /// <summary>The frame, with its size reported to the node's observer once encoded (only when someone measures).</summary>
    public static SendFrame Observed(Core.NodeSettings settings, TimeProvider clock, PublicKey peer, Frame frame) =>
        settings.Observer is Observation.NoObserver
            ? new SendFrame(frame)
            : new SendFrame(frame) { _measuredBy = settings, _clock = clock, _peer = peer };

    /// <summary>The frame is on its way, <paramref name="bytes"/> long (measurement; encoding once, where it happens).</summary>
    public void Sent(int bytes)
    {
        if (_measuredBy is not { } settings) return;
        settings.Observer.FrameSent(settings.Identity.PublicKey, _peer!, Frame.Name, Observation.FramePayload.Of(Frame), bytes, _clock!.GetUtcNow());
    }
}

/// <summary>
/// To a PeerConnection: the node judged something the peer did, and has recorded it in the node's score book already
/// (<see cref="Score"/> is the peer's score after it). The connection logs it and drops the link if the book now bans the peer.
/// </summary>
public sealed record ReportBehaviour(PeerBehaviour Behaviour, string Detail)
{
    public double Score { get; init; }
}

/// <summary>To a PeerConnection: close the link, for a reason that is not the peer's score (e.g. it is this node itself).</summary>
public sealed record DropPeer(string Reason);
