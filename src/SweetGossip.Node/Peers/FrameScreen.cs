using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Validation;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Peers;

/// <summary>What a peer connection makes of one frame's bytes before the node sees them.</summary>
public abstract record ScreenResult
{
    /// <summary>An ask or broadcast for a payload the node has accepted already: dropped undecoded.</summary>
    public sealed record Seen(PayloadId PayloadId, bool IsAsk) : ScreenResult;

    /// <summary>Not a well-formed frame.</summary>
    public sealed record Malformed(string Reason) : ScreenResult;

    /// <summary>A well-formed ask whose request does not validate (signature, certificate, times, topic).</summary>
    public sealed record Invalid(string Reason) : ScreenResult;

    /// <summary>For the node; <see cref="Verified"/>: an ask whose request fully validated here.</summary>
    public sealed record Pass(Frame Frame, bool Verified) : ScreenResult;
}

/// <summary>
/// The part of a node's work on incoming frames that needs no node-wide decision, done in each peer connection so
/// that links are screened in parallel, on as many cores as there are: drop an ask or broadcast for a payload the
/// node has seen (read from the bytes, before the decode), decode, and fully validate an ask's request (the
/// signature checks, the costly part of a relay). The node's guardian then only makes the O(1) decisions (dedup
/// race, favour book, peer table). Thread-safe: one per node, shared by its connections.
/// </summary>
public sealed class FrameScreen(TrustedAuthorities trusted)
{
    /// <summary>The node's dedup, written by its guardian, read here.</summary>
    public SeenPayloads Seen { get; } = new();

    /// <summary>Requests already verified (a topic is offered by several peers before its broadcast arrives).</summary>
    public VerifiedRequests Verified { get; } = new();

    /// <summary>Told of every ask dropped as seen (peer, payload, when): the node's observer counts them.</summary>
    public Action<PublicKey, PayloadId, DateTimeOffset>? OnDuplicateOffered { get; init; }

    /// <summary>Told of every broadcast dropped as seen: in announce dissemination (D24) the only duplicate payload copy.</summary>
    public Action<PublicKey, PayloadId, DateTimeOffset>? OnBroadcastCopyDropped { get; init; }

    public ScreenResult Screen(ReadOnlySpan<byte> bytes, DateTimeOffset now)
    {
        if (PayloadIdPeek.TryRead(bytes, out var payloadId, out var isAsk) && Seen.Contains(payloadId))
            return new ScreenResult.Seen(payloadId, isAsk);
        Frame frame;
        try
        {
            frame = FrameCodec.Decode(bytes);
        }
        catch (FrameFormatException e)
        {
            return new ScreenResult.Malformed(e.Message);
        }
        if (frame is not AskForFavour ask) return new ScreenResult.Pass(frame, Verified: false);
        var payload = ask.SignedRequest.Payload;
        if (Seen.Contains(payload.PayloadId)) return new ScreenResult.Seen(payload.PayloadId, IsAsk: true);
        var known = Verified.Contains(ask.SignedRequest);
        var verdict = RequestValidator.Validate(ask.SignedRequest, trusted, now, signaturesAlreadyVerified: known);
        if (!verdict.IsValid) return new ScreenResult.Invalid($"ask for payload {payload.PayloadId}: {verdict.Reason}");
        if (!known) Verified.Add(ask.SignedRequest, now);
        return new ScreenResult.Pass(ask, Verified: true);
    }
}
