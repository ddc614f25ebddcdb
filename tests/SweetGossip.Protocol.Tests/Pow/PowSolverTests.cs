using SweetGossip.Protocol.Pow;

namespace SweetGossip.Protocol.Tests.Pow;

public class PowSolverTests
{
    private const long Now = PowTestData.ValidUntil - 60;

    public static TheoryData<int> Difficulties() => new() { 8, 9, 10, 11, 12, 13, 14, 15, 16 };

    [Theory]
    [MemberData(nameof(Difficulties))]
    public async Task Solve_then_verify(int difficulty)
    {
        var challenge = PowTestData.Challenge(difficulty);
        byte[] challengeHash = challenge.ComputeChallengeHash();

        var solution = await PowSolver.SolveAsync(challengeHash, difficulty, 1, CancellationToken.None);

        Assert.Equal(PowVerdict.Valid, PowVerifier.Verify(PowSchemes.Sha256, challenge, solution.Nonce, Now));
        Assert.True(PowVerifier.LeadingZeroBits(PowVerifier.ProofHash(challengeHash, solution.Nonce)) >= difficulty);
        // One worker from nonce 0: the first good nonce, and every nonce before it was tried.
        Assert.Equal((long)solution.Nonce + 1, solution.HashesTried);
        Assert.Equal(solution, PowSolver.Solve(challengeHash, difficulty, 0, ulong.MaxValue, CancellationToken.None));
    }

    [Theory]
    [InlineData(8, 16UL)]
    [InlineData(12, 1085UL)]
    [InlineData(16, 29250UL)]
    public void Single_range_solve_finds_reference_nonce(int difficulty, ulong expectedNonce)
    {
        byte[] challengeHash = PowTestData.Challenge(difficulty).ComputeChallengeHash();
        var solution = PowSolver.Solve(challengeHash, difficulty, 0, 1_000_000, CancellationToken.None);
        Assert.Equal(new PowSolution(expectedNonce, (long)expectedNonce + 1), solution);
    }

    [Fact]
    public void Solve_starts_at_start_nonce()
    {
        byte[] challengeHash = PowTestData.Challenge(16).ComputeChallengeHash();
        var solution = PowSolver.Solve(challengeHash, 16, 29251, 10_000_000, CancellationToken.None);
        Assert.True(solution.Nonce > 29250);
        Assert.Equal((long)(solution.Nonce - 29251) + 1, solution.HashesTried);
        Assert.True(PowVerifier.Satisfies(challengeHash, solution.Nonce, 16));
    }

    [Fact]
    public void Solve_throws_when_range_has_no_solution()
    {
        byte[] challengeHash = PowTestData.Challenge(16).ComputeChallengeHash();
        // The first good nonce is 29250, so [0, 29250) holds none.
        var ex = Assert.Throws<PowExhaustedException>(() => PowSolver.Solve(challengeHash, 16, 0, 29250, CancellationToken.None));
        Assert.Equal(0UL, ex.StartNonce);
        Assert.Equal(29250UL, ex.Count);
        Assert.Equal(16, ex.DifficultyBits);
        Assert.Throws<PowExhaustedException>(() => PowSolver.Solve(challengeHash, 0, 5, 0, CancellationToken.None));
    }

    [Fact]
    public void Range_wraps_past_max_nonce()
    {
        byte[] challengeHash = PowTestData.Challenge(0).ComputeChallengeHash();
        Assert.Equal(new PowSolution(ulong.MaxValue, 1), PowSolver.Solve(challengeHash, 0, ulong.MaxValue, 2, CancellationToken.None));

        byte[] hard = PowTestData.Challenge(8).ComputeChallengeHash();
        var solution = PowSolver.Solve(hard, 8, ulong.MaxValue - 1, 100_000, CancellationToken.None);
        Assert.True(PowVerifier.Satisfies(hard, solution.Nonce, 8));
        ulong tried = unchecked(solution.Nonce - (ulong.MaxValue - 1)) + 1;
        Assert.Equal((long)tried, solution.HashesTried);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Multi_worker_solve_returns_a_satisfying_nonce(int workers)
    {
        var challenge = PowTestData.Challenge(14);
        byte[] challengeHash = challenge.ComputeChallengeHash();

        var solution = await PowSolver.SolveAsync(challengeHash, 14, workers, CancellationToken.None, startNonce: 1000);

        Assert.True(PowVerifier.Satisfies(challengeHash, solution.Nonce, 14));
        Assert.Equal(PowVerdict.Valid, PowVerifier.Verify(PowSchemes.Sha256, challenge, solution.Nonce, Now));
        Assert.True(solution.HashesTried >= 1);
    }

    [Fact(Timeout = 30_000)]
    public async Task Difficulty_60_solve_is_cancelled()
    {
        byte[] challengeHash = PowTestData.Challenge(60).ComputeChallengeHash();
        using var cts = new CancellationTokenSource();

        Task<PowSolution> solving = PowSolver.SolveAsync(challengeHash, 60, 2, cts.Token);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => solving);
    }

    [Fact(Timeout = 30_000)]
    public async Task Difficulty_60_solve_is_cancelled_while_running()
    {
        byte[] challengeHash = PowTestData.Challenge(60).ComputeChallengeHash();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => PowSolver.SolveAsync(challengeHash, 60, 1, cts.Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task Range_solve_is_cancelled()
    {
        byte[] challengeHash = PowTestData.Challenge(60).ComputeChallengeHash();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Task.Run(() => Assert.ThrowsAny<OperationCanceledException>(
            () => PowSolver.Solve(challengeHash, 60, 0, ulong.MaxValue, cts.Token)));
    }

    [Fact]
    public async Task Already_cancelled_token_throws()
    {
        byte[] challengeHash = PowTestData.Challenge(8).ComputeChallengeHash();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PowSolver.SolveAsync(challengeHash, 8, 2, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => PowSolver.Solve(challengeHash, 8, 0, 1000, cts.Token));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task Worker_count_below_one_is_rejected(int workers)
    {
        byte[] challengeHash = new byte[32];
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => PowSolver.SolveAsync(challengeHash, 8, workers, CancellationToken.None));
        Assert.Equal("workers", ex.ParamName);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65)]
    public async Task Solver_rejects_bad_difficulty(int difficulty)
    {
        byte[] challengeHash = new byte[32];
        await Assert.ThrowsAsync<ArgumentException>(() => PowSolver.SolveAsync(challengeHash, difficulty, 1, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => PowSolver.Solve(challengeHash, difficulty, 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Solver_rejects_bad_challenge_length()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => PowSolver.SolveAsync(new byte[31], 8, 1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => PowSolver.SolveAsync(null!, 8, 1, CancellationToken.None));
    }
}
