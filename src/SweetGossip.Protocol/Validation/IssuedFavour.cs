using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Validation;

/// <summary>
/// What a middleman remembers about conditions it handed out, to check the Broadcast that
/// claims them: to whom it applies (the payload), who issued it (this node), and for Lightning
/// conditions the payment hash of its invoice.
/// </summary>
public sealed record IssuedFavour(FavourConditions Conditions, Hash32 PayloadHash, PublicKey Issuer, Hash32? PaymentHash = null);
