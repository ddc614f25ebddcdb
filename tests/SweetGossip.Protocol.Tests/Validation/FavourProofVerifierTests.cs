using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Tests.Support;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Protocol.Tests.Validation;

public class FavourProofVerifierTests
{
    private const int Difficulty = 12;
    private readonly TestWorld _world = new();
    private static readonly DateTimeOffset Now = TestWorld.Now;

    private (IssuedFavour Issued, Broadcast Broadcast) Solved(PrivateKey issuer)
    {
        var request = _world.Request();
        var conditions = new PowFavourConditions(AskId.New(), FavourId.New(), Now.AddMinutes(5), PowSchemes.Sha256, Difficulty);
        var issued = new IssuedFavour(conditions, request.PayloadHash, issuer.PublicKey);
        var challenge = FavourChallenge.For(conditions, request.PayloadHash, issuer.PublicKey);
        var solution = PowSolver.Solve(challenge.ComputeChallengeHash(), Difficulty, 0, ulong.MaxValue, CancellationToken.None);
        return (issued, new Broadcast(conditions.FavourId, request, new PowProof(solution.Nonce), 4, 0));
    }

    [Fact]
    public void A_solved_proof_for_this_peer_payload_and_favour_is_accepted()
    {
        var (issued, broadcast) = Solved(_world.MiddlemanKey);
        Assert.True(FavourProofVerifier.Verify(issued, broadcast, Now).IsValid);
    }

    [Fact]
    public void The_same_proof_is_useless_with_another_peer()
    {
        var (issued, broadcast) = Solved(_world.MiddlemanKey);
        // Find another peer for which this nonce happens not to satisfy the difficulty (probability 1 - 2^-12 each).
        var verdicts = Enumerable.Range(0, 3).Select(_ => FavourProofVerifier.Verify(issued with { Issuer = PrivateKey.Generate().PublicKey }, broadcast, Now)).ToList();
        Assert.Contains(verdicts, v => !v.IsValid && v.Reason.Contains("leading zero bits"));
    }

    [Fact]
    public void The_same_proof_is_useless_for_another_payload()
    {
        var (issued, broadcast) = Solved(_world.MiddlemanKey);
        var other = broadcast with { SignedRequest = _world.Request() };
        Assert.Contains("another payload", FavourProofVerifier.Verify(issued, other, Now).Reason);
    }

    [Fact]
    public void The_same_proof_is_useless_for_another_favour()
    {
        var (issued, broadcast) = Solved(_world.MiddlemanKey);
        var other = broadcast with { FavourId = FavourId.New() };
        Assert.False(FavourProofVerifier.Verify(issued, other, Now).IsValid);
        // Even if the middleman looked up another favour of its own with the same payload, the nonce does not carry over.
        var otherFavour = issued with { Conditions = ((PowFavourConditions)issued.Conditions) with { FavourId = FavourId.New() } };
        var results = Enumerable.Range(0, 3)
            .Select(_ => issued with { Conditions = ((PowFavourConditions)issued.Conditions) with { FavourId = FavourId.New() } })
            .Select(f => FavourProofVerifier.Verify(f, broadcast with { FavourId = f.Conditions.FavourId }, Now));
        Assert.Contains(results, v => !v.IsValid);
        Assert.NotEqual(otherFavour.Conditions.FavourId, issued.Conditions.FavourId);
    }

    [Fact]
    public void An_expired_favour_is_rejected()
    {
        var (issued, broadcast) = Solved(_world.MiddlemanKey);
        Assert.Contains("expired", FavourProofVerifier.Verify(issued, broadcast, issued.Conditions.ValidUntil.AddSeconds(1)).Reason);
    }

    [Fact]
    public void Lightning_favours_need_the_preimage_of_the_issued_invoice()
    {
        var request = _world.Request();
        var preimage = Hash32.Random();
        var conditions = new LightningFavourConditions(AskId.New(), FavourId.New(), Now.AddMinutes(5), 1_000, "lnbcrt10n1…");
        var issued = new IssuedFavour(conditions, request.PayloadHash, _world.MiddlemanKey.PublicKey, preimage.Sha256());
        var paid = new Broadcast(conditions.FavourId, request, new PaymentProof(preimage), 3, 0);
        Assert.True(FavourProofVerifier.Verify(issued, paid, Now).IsValid);
        Assert.Contains("does not hash", FavourProofVerifier.Verify(issued, paid with { Proof = new PaymentProof(Hash32.Random()) }, Now).Reason);
        Assert.Contains("does not match", FavourProofVerifier.Verify(issued, paid with { Proof = new PowProof(1) }, Now).Reason);
    }
}
