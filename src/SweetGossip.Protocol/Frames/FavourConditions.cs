using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Frames;

/// <summary>
/// A middleman's answer to an ask: the price of the favour. The favour id is single use and
/// only valid until <see cref="ValidUntil"/>; the proof in the Broadcast commits to it.
/// </summary>
public abstract record FavourConditions(AskId AskId, FavourId FavourId, DateTimeOffset ValidUntil) : Frame
{
    public override string Name => nameof(FavourConditions);
}

/// <summary>Pay in work: a hash with at least <see cref="DifficultyBits"/> leading zero bits.</summary>
public sealed record PowFavourConditions(
    AskId AskId, FavourId FavourId, DateTimeOffset ValidUntil, string Scheme, int DifficultyBits)
    : FavourConditions(AskId, FavourId, ValidUntil);

/// <summary>Pay in sats: settle <see cref="Invoice"/>; its preimage is the proof.</summary>
public sealed record LightningFavourConditions(
    AskId AskId, FavourId FavourId, DateTimeOffset ValidUntil, ulong PriceMsat, string Invoice)
    : FavourConditions(AskId, FavourId, ValidUntil);
