using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Validation;

/// <summary>
/// Checks that a Broadcast paid for the favour it claims: the same payload that was asked about,
/// still in time, and a proof of the kind the conditions asked for. Single use of the favour id is
/// the caller's job (it holds the state); this is pure.
/// </summary>
public static class FavourProofVerifier
{
    /// <param name="paidGrace">How long past its end a Lightning favour already paid for is still redeemed (its payer's money was taken before its broadcast could arrive).</param>
    public static Verdict Verify(IssuedFavour issued, Broadcast broadcast, DateTimeOffset now, TimeSpan paidGrace = default)
    {
        var conditions = issued.Conditions;
        if (broadcast.FavourId != conditions.FavourId)
            return Verdict.Reject($"broadcast claims favour {broadcast.FavourId}, not {conditions.FavourId}");
        if (now > conditions.ValidUntil + (conditions is LightningFavourConditions ? paidGrace : TimeSpan.Zero))
            return Verdict.Reject($"favour {conditions.FavourId} expired at {conditions.ValidUntil:O}");
        if (broadcast.SignedRequest.PayloadHash != issued.PayloadHash)
            return Verdict.Reject("broadcast carries another payload than the one the favour was granted for");

        return (conditions, broadcast.Proof) switch
        {
            (PowFavourConditions pow, PowProof proof) => VerifyWork(issued, pow, proof, now),
            (LightningFavourConditions, PaymentProof paid) => VerifyPayment(issued, paid),
            _ => Verdict.Reject($"proof {broadcast.Proof.GetType().Name} does not match {conditions.GetType().Name}"),
        };
    }

    private static Verdict VerifyWork(IssuedFavour issued, PowFavourConditions pow, PowProof proof, DateTimeOffset now)
    {
        var challenge = FavourChallenge.For(pow, issued.PayloadHash, issued.Issuer);
        return PowVerifier.Verify(pow.Scheme, challenge, proof.Nonce, UnixTime.ToSeconds(now)) switch
        {
            PowVerdict.Valid => Verdict.Ok,
            PowVerdict.InsufficientWork => Verdict.Reject($"proof of work has fewer than {pow.DifficultyBits} leading zero bits"),
            PowVerdict.Expired => Verdict.Reject("proof of work conditions expired"),
            PowVerdict.UnknownScheme => Verdict.Reject($"unknown proof-of-work scheme '{pow.Scheme}'"),
            var other => Verdict.Reject($"proof of work rejected: {other}"),
        };
    }

    private static Verdict VerifyPayment(IssuedFavour issued, PaymentProof paid)
    {
        if (issued.PaymentHash is not { } paymentHash)
            return Verdict.Reject("no invoice was issued for this favour");
        return paid.Preimage.Sha256() == paymentHash
            ? Verdict.Ok
            : Verdict.Reject("payment preimage does not hash to the invoice's payment hash");
    }
}
