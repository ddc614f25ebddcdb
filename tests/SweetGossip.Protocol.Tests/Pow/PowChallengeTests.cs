using SweetGossip.Protocol.Pow;

namespace SweetGossip.Protocol.Tests.Pow;

public class PowChallengeTests
{
    // 29250 is the first nonce with 16 leading zero bits for PowTestData.Challenge(16) (see the reference
    // vectors). For each altered challenge below it was checked (Python hashlib) that the same nonce gives
    // a proof hash with at most 1 leading zero bit, so these outcomes are fixed, not probabilistic.
    private const ulong GoodNonce = 29250;
    private const long Now = PowTestData.ValidUntil - 60;

    public static TheoryData<string, PowChallenge> AlteredChallenges() => new()
    {
        { "favour id", PowTestData.Challenge(16) with { FavourId = PowTestData.FlipFirstBit(PowTestData.FavourId()) } },
        { "payload hash", PowTestData.Challenge(16) with { PayloadHash = PowTestData.FlipFirstBit(PowTestData.PayloadHash()) } },
        { "issuer key", PowTestData.Challenge(16) with { IssuerPublicKey = PowTestData.FlipFirstBit(PowTestData.IssuerKey()) } },
        { "valid until", PowTestData.Challenge(16) with { ValidUntilUnixSeconds = PowTestData.ValidUntil + 1 } },
        { "difficulty", PowTestData.Challenge(16) with { DifficultyBits = 15 } },
    };

    [Fact]
    public void Proof_is_valid_for_its_own_challenge()
    {
        Assert.Equal(PowVerdict.Valid, PowVerifier.Verify(PowSchemes.Sha256, PowTestData.Challenge(16), GoodNonce, Now));
    }

    [Theory]
    [MemberData(nameof(AlteredChallenges))]
    public void Proof_is_rejected_for_a_different_challenge(string changed, PowChallenge other)
    {
        Assert.NotEqual(PowTestData.Challenge(16), other);
        Assert.True(
            PowVerdict.InsufficientWork == PowVerifier.Verify(PowSchemes.Sha256, other, GoodNonce, Now),
            $"proof accepted although the {changed} differs");
    }

    [Fact]
    public async Task Solved_proof_is_rejected_for_a_different_challenge()
    {
        var original = PowTestData.Challenge(16);
        var solution = await PowSolver.SolveAsync(original.ComputeChallengeHash(), 16, 1, CancellationToken.None);
        Assert.Equal(GoodNonce, solution.Nonce);
        foreach (var row in AlteredChallenges())
        {
            var other = (PowChallenge)row[1];
            Assert.Equal(PowVerdict.InsufficientWork, PowVerifier.Verify(PowSchemes.Sha256, other, solution.Nonce, Now));
        }
    }

    [Fact]
    public void Challenge_hash_commits_to_every_field()
    {
        var hashes = AlteredChallenges()
            .Select(row => Convert.ToHexString(((PowChallenge)row[1]).ComputeChallengeHash()))
            .Append(Convert.ToHexString(PowTestData.Challenge(16).ComputeChallengeHash()))
            .ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void Equality_compares_contents_and_inputs_are_copied()
    {
        byte[] favourId = PowTestData.FavourId();
        var a = new PowChallenge(favourId, PowTestData.PayloadHash(), PowTestData.IssuerKey(), 16, PowTestData.ValidUntil);
        var b = PowTestData.Challenge(16);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());

        byte[] before = a.ComputeChallengeHash();
        favourId[0] ^= 0xff;
        Assert.Equal(before, a.ComputeChallengeHash());
        Assert.Equal(b, a);
        Assert.Equal(a, PowChallenge.Create(PowTestData.FavourId(), PowTestData.PayloadHash(), PowTestData.IssuerKey(), 16, PowTestData.ValidUntil));
    }

    [Theory]
    [InlineData(0, 32, 32, 16, "FavourId")]
    [InlineData(15, 32, 32, 16, "FavourId")]
    [InlineData(17, 32, 32, 16, "FavourId")]
    [InlineData(16, 31, 32, 16, "PayloadHash")]
    [InlineData(16, 33, 32, 16, "PayloadHash")]
    [InlineData(16, 32, 31, 16, "IssuerPublicKey")]
    [InlineData(16, 32, 33, 16, "IssuerPublicKey")]
    [InlineData(16, 32, 32, -1, "DifficultyBits")]
    [InlineData(16, 32, 32, 65, "DifficultyBits")]
    public void Bad_lengths_and_difficulty_are_rejected(int favourLen, int payloadLen, int issuerLen, int difficulty, string field)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new PowChallenge(new byte[favourLen], new byte[payloadLen], new byte[issuerLen], difficulty, 0));
        Assert.Equal(field, ex.ParamName);
        Assert.Contains(field, ex.Message);
    }

    [Fact]
    public void With_expression_is_validated_too()
    {
        var challenge = PowTestData.Challenge(16);
        Assert.Equal("FavourId", Assert.Throws<ArgumentException>(() => challenge with { FavourId = new byte[8] }).ParamName);
        Assert.Equal("DifficultyBits", Assert.Throws<ArgumentException>(() => challenge with { DifficultyBits = 100 }).ParamName);
    }

    [Fact]
    public void Null_arrays_are_rejected()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new PowChallenge(null!, new byte[32], new byte[32], 8, 0));
        Assert.Equal("FavourId", ex.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    public void Difficulty_bounds_are_accepted(int difficulty)
    {
        var challenge = PowTestData.Challenge(difficulty);
        Assert.Equal(difficulty, challenge.DifficultyBits);
        Assert.Equal(32, challenge.ComputeChallengeHash().Length);
    }
}
