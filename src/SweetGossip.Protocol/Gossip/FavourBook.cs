using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Protocol.Gossip;

/// <summary>
/// A middleman's record of the favours it granted: conditions out for an ask, redeemed at most once by
/// the Broadcast that proves them, forgotten when they expire. Bounded, so a flood of asks cannot grow
/// it without limit.
/// </summary>
public sealed class FavourBook(PublicKey self, TimeSpan validity, int capacity, Entropy? entropy = null)
{
    private readonly Entropy _entropy = entropy ?? Entropy.Secure;

    private readonly Dictionary<FavourId, (IssuedFavour Favour, PublicKey Asker, Bytes Signature)> _open = [];

    public int OpenCount => _open.Count;

    /// <summary>Grants proof-of-work conditions for an ask from <paramref name="asker"/>, or null when the book is full.</summary>
    public PowFavourConditions? GrantPow(AskForFavour ask, PublicKey asker, int difficultyBits, DateTimeOffset now)
    {
        if (_open.Count >= capacity) Expire(now);
        if (_open.Count >= capacity) return null;
        var conditions = new PowFavourConditions(ask.AskId, new FavourId(_entropy.NewId()), UnixTime.Truncate(now + validity), PowSchemes.Sha256, difficultyBits);
        _open[conditions.FavourId] = (new IssuedFavour(conditions, ask.SignedRequest.PayloadHash, self), asker, ask.SignedRequest.OriginatorSignature);
        return conditions;
    }

    /// <summary>Grants Lightning conditions: pay <paramref name="invoice"/> (under <paramref name="paymentHash"/>).</summary>
    public LightningFavourConditions? GrantLightning(AskForFavour ask, PublicKey asker, ulong priceMsat, string invoice, Hash32 paymentHash, DateTimeOffset now)
    {
        if (_open.Count >= capacity) Expire(now);
        if (_open.Count >= capacity) return null;
        var conditions = new LightningFavourConditions(ask.AskId, new FavourId(_entropy.NewId()), UnixTime.Truncate(now + validity), priceMsat, invoice);
        _open[conditions.FavourId] = (new IssuedFavour(conditions, ask.SignedRequest.PayloadHash, self, paymentHash), asker, ask.SignedRequest.OriginatorSignature);
        return conditions;
    }

    /// <summary>
    /// Checks a Broadcast against the favour it claims and, if it holds, uses the favour up.
    /// A favour granted to one peer cannot be redeemed by another. The broadcast must carry the very
    /// signed request of the ask (payload and signature bytes), so what the ask's validation verified is
    /// what gets relayed, and its signatures need not be verified twice.
    /// </summary>
    public Verdict Redeem(Broadcast broadcast, PublicKey sender, DateTimeOffset now)
    {
        if (!_open.TryGetValue(broadcast.FavourId, out var entry))
            return Verdict.Reject($"favour {broadcast.FavourId} is unknown, already used or expired");
        if (!entry.Asker.Equals(sender))
            return Verdict.Reject($"favour {broadcast.FavourId} was granted to another peer");
        if (!broadcast.SignedRequest.OriginatorSignature.Equals(entry.Signature))
            return Verdict.Reject($"favour {broadcast.FavourId} was granted for a request with another signature");
        var verdict = FavourProofVerifier.Verify(entry.Favour, broadcast, now);
        if (verdict.IsValid)
            _open.Remove(broadcast.FavourId);
        return verdict;
    }

    /// <summary>Drops favours past their validity; returns how many.</summary>
    public int Expire(DateTimeOffset now)
    {
        var expired = _open.Where(e => e.Value.Favour.Conditions.ValidUntil < now).Select(e => e.Key).ToList();
        foreach (var id in expired) _open.Remove(id);
        return expired.Count;
    }
}
