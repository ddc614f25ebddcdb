using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Validation;

/// <summary>The proof-of-work challenge a favour's conditions define: the one place that maps D7's fields from a frame.</summary>
public static class FavourChallenge
{
    /// <param name="payloadHash">SHA-256 of the signed request payload the favour is for.</param>
    /// <param name="issuer">The peer that set the conditions.</param>
    public static PowChallenge For(PowFavourConditions conditions, Hash32 payloadHash, PublicKey issuer) => new(
        Id16.ToBytes(conditions.FavourId.Value),
        payloadHash.ToArray(),
        issuer.ToBytes(),
        conditions.DifficultyBits,
        UnixTime.ToSeconds(conditions.ValidUntil));
}
