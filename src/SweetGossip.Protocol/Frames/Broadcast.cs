using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Frames;

/// <summary>Evidence that the favour was paid for.</summary>
public abstract record BroadcastProof;

/// <summary>The nonce that makes the proof-of-work hash meet the difficulty.</summary>
public sealed record PowProof(ulong Nonce) : BroadcastProof;

/// <summary>The preimage of the conditions' invoice: learned only by paying it.</summary>
public sealed record PaymentProof(Hash32 Preimage) : BroadcastProof;

/// <summary>
/// The favour, paid for: "broadcast this for me". <see cref="HopsRemaining"/> bounds how far
/// it spreads; <see cref="PathFeeMsat"/> is what the hops so far will charge to carry a reply back.
/// </summary>
public sealed record Broadcast(
    FavourId FavourId,
    SignedRequestPayload SignedRequest,
    BroadcastProof Proof,
    int HopsRemaining,
    ulong PathFeeMsat) : Frame
{
    public override string Name => nameof(Broadcast);
}
