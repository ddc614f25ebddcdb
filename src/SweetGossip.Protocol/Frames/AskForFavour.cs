using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Frames;

/// <summary>"Under what conditions would you broadcast this?" — sent to a prospective middleman.</summary>
public sealed record AskForFavour(AskId AskId, SignedRequestPayload SignedRequest) : Frame
{
    public override string Name => nameof(AskForFavour);
}
