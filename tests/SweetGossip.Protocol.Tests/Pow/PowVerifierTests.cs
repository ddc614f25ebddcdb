using FsCheck.Xunit;
using SweetGossip.Protocol.Pow;

namespace SweetGossip.Protocol.Tests.Pow;

public class PowVerifierTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("00", 8)]
    [InlineData("ff", 0)]
    [InlineData("80", 0)]
    [InlineData("40", 1)]
    [InlineData("01", 7)]
    [InlineData("0001", 15)]
    [InlineData("000080", 16)]
    [InlineData("00000001ff", 31)]
    [InlineData("0000000000000000", 64)]
    [InlineData("000000000000000001", 71)]
    [InlineData("0f00", 4)]
    public void LeadingZeroBits_known_values(string hex, int expected)
    {
        Assert.Equal(expected, PowVerifier.LeadingZeroBits(Convert.FromHexString(hex)));
    }

    [Fact]
    public void LeadingZeroBits_of_all_zero_hash_is_256()
    {
        Assert.Equal(256, PowVerifier.LeadingZeroBits(new byte[32]));
    }

    [Property]
    public bool LeadingZeroBits_matches_bit_by_bit_count(byte[] bytes)
    {
        int naive = 0;
        foreach (byte b in bytes)
        {
            int bit = 7;
            while (bit >= 0 && (b & (1 << bit)) == 0)
            {
                naive++;
                bit--;
            }

            if (bit >= 0)
            {
                break;
            }
        }

        return PowVerifier.LeadingZeroBits(bytes) == naive;
    }

    [Fact]
    public void Challenge_hash_matches_reference_vector()
    {
        // Reference: SHA-256("SweetGossip/pow/sha256/v1" || 000102..0f || SHA-256("test payload")
        //            || a0a1..bf || 0x10 || 000000006553f100), computed with Python hashlib.
        Assert.Equal(
            "db2deb44030142d8b85e6620f27aa3d05ae8a2a9a1990c55a5cdced4b5a2bf07",
            Convert.ToHexStringLower(PowTestData.Challenge(16).ComputeChallengeHash()));
        Assert.Equal(
            "e1c01824e71bbddd70259a954dc15a23328fb60444045c0c616d530e7306241b",
            Convert.ToHexStringLower(PowTestData.Challenge(8).ComputeChallengeHash()));
    }

    [Fact]
    public void Proof_hash_matches_reference_vector()
    {
        byte[] challenge = PowTestData.Challenge(16).ComputeChallengeHash();
        Assert.Equal(
            "000079008b1bd16d0b44ffaf6a9c021976b96928dfc9584ab0b154ac7757439e",
            Convert.ToHexStringLower(PowVerifier.ProofHash(challenge, 29250)));
    }

    [Property]
    public bool Satisfies_agrees_with_leading_zero_bits_of_proof_hash(byte[] seed, ulong nonce, byte difficulty)
    {
        byte[] challenge = System.Security.Cryptography.SHA256.HashData(seed);
        int d = difficulty % 65;
        bool expected = PowVerifier.LeadingZeroBits(PowVerifier.ProofHash(challenge, nonce)) >= d;
        return PowVerifier.Satisfies(challenge, nonce, d) == expected;
    }

    [Fact]
    public void Difficulty_zero_accepts_any_nonce()
    {
        byte[] challenge = PowTestData.Challenge(0).ComputeChallengeHash();
        Assert.True(PowVerifier.Satisfies(challenge, 12345, 0));
        Assert.Equal(PowVerdict.Valid, PowVerifier.Verify(PowSchemes.Sha256, PowTestData.Challenge(0), 12345, 0));
    }

    [Fact]
    public void Valid_proof_from_reference_vector_verifies()
    {
        Assert.Equal(
            PowVerdict.Valid,
            PowVerifier.Verify(PowSchemes.Sha256, PowTestData.Challenge(16), 29250, PowTestData.ValidUntil - 60));
        // 29249 is the nonce before the first good one, so it must fall short.
        Assert.Equal(
            PowVerdict.InsufficientWork,
            PowVerifier.Verify(PowSchemes.Sha256, PowTestData.Challenge(16), 29249, PowTestData.ValidUntil - 60));
    }

    [Fact]
    public void Expired_after_valid_until_and_valid_up_to_it()
    {
        var challenge = PowTestData.Challenge(16);
        Assert.Equal(PowVerdict.Valid, PowVerifier.Verify(PowSchemes.Sha256, challenge, 29250, PowTestData.ValidUntil));
        Assert.Equal(PowVerdict.Expired, PowVerifier.Verify(PowSchemes.Sha256, challenge, 29250, PowTestData.ValidUntil + 1));
        // Expiry is reported even when the work is insufficient.
        Assert.Equal(PowVerdict.Expired, PowVerifier.Verify(PowSchemes.Sha256, challenge, 29249, PowTestData.ValidUntil + 1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("SHA256")]
    [InlineData("sha-256")]
    [InlineData("sha256 ")]
    [InlineData("argon2")]
    public void Unknown_scheme_is_rejected(string scheme)
    {
        Assert.False(PowSchemes.IsKnown(scheme));
        Assert.Equal(PowVerdict.UnknownScheme, PowVerifier.Verify(scheme, PowTestData.Challenge(16), 29250, 0));
    }

    [Fact]
    public void Sha256_is_known()
    {
        Assert.True(PowSchemes.IsKnown("sha256"));
        Assert.False(PowSchemes.IsKnown(null!));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(8, 256.0)]
    [InlineData(16, 65536.0)]
    [InlineData(64, 18446744073709551616.0)]
    public void ExpectedHashes_is_two_to_the_difficulty(int difficulty, double expected)
    {
        Assert.Equal(expected, PowVerifier.ExpectedHashes(difficulty));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65)]
    public void Difficulty_out_of_range_is_rejected_by_verifier_functions(int difficulty)
    {
        var challenge = new byte[32];
        Assert.Equal("difficultyBits", Assert.Throws<ArgumentException>(() => PowVerifier.Satisfies(challenge, 0, difficulty)).ParamName);
        Assert.Throws<ArgumentException>(() => PowVerifier.ExpectedHashes(difficulty));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Challenge_hash_of_wrong_length_is_rejected(int length)
    {
        var challenge = new byte[length];
        Assert.Equal("challengeHash32", Assert.Throws<ArgumentException>(() => PowVerifier.ProofHash(challenge, 0)).ParamName);
        Assert.Throws<ArgumentException>(() => PowVerifier.Satisfies(challenge, 0, 8));
        Assert.Throws<ArgumentException>(() => PowSolver.Solve(challenge, 8, 0, 10, CancellationToken.None));
    }
}
