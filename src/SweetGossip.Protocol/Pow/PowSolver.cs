using System.Numerics;

namespace SweetGossip.Protocol.Pow;

// Finds a nonce whose proof hash (see PowVerifier) has at least difficulty_bits leading zero bits.
// Within a range nonces are tried in increasing order (wrapping past ulong.MaxValue to 0), so a search
// from a given start is deterministic.
public static class PowSolver
{
    // Hashes between looks at the cancellation token: well under a millisecond of work.
    private const ulong CancellationCheckInterval = 1024;

    // Searches one range [startNonce, startNonce + count) synchronously on the calling thread; this is what
    // actor workers call with their own slice. Throws OperationCanceledException when cancelled and
    // PowExhaustedException when no nonce in the range is good enough.
    public static PowSolution Solve(
        byte[] challengeHash32, int difficultyBits, ulong startNonce, ulong count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challengeHash32);
        PowVerifier.CheckChallengeHash(challengeHash32, nameof(challengeHash32));
        PowChallenge.CheckDifficulty(difficultyBits, nameof(difficultyBits));
        cancellationToken.ThrowIfCancellationRequested();

        if (SearchRange(challengeHash32, difficultyBits, startNonce, count, cancellationToken, out ulong nonce, out long tried))
        {
            return new PowSolution(nonce, tried);
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new PowExhaustedException(startNonce, count, difficultyBits);
    }

    // Splits the whole 2^64 nonce space into `workers` contiguous ranges, worker k starting at
    // startNonce + k * floor((2^64 - 1) / workers), each on its own long-running task. The first nonce found
    // wins and stops the others; the returned task completes only after every worker has stopped.
    // With workers == 1 the result is the first good nonce at or after startNonce.
    public static async Task<PowSolution> SolveAsync(
        byte[] challengeHash32, int difficultyBits, int workers, CancellationToken cancellationToken, ulong startNonce = 0)
    {
        ArgumentNullException.ThrowIfNull(challengeHash32);
        PowVerifier.CheckChallengeHash(challengeHash32, nameof(challengeHash32));
        PowChallenge.CheckDifficulty(difficultyBits, nameof(difficultyBits));
        if (workers < 1)
        {
            throw new ArgumentException($"{nameof(workers)} must be at least 1, got {workers}.", nameof(workers));
        }

        cancellationToken.ThrowIfCancellationRequested();

        byte[] challenge = (byte[])challengeHash32.Clone();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ulong chunk = ulong.MaxValue / (ulong)workers;
        long totalTried = 0;
        int found = 0;
        ulong winner = 0;

        var tasks = new Task[workers];
        for (int k = 0; k < workers; k++)
        {
            ulong start = unchecked(startNonce + ((ulong)k * chunk));
            ulong count = k == workers - 1 ? ulong.MaxValue - (chunk * (ulong)(workers - 1)) : chunk;
            tasks[k] = Task.Factory.StartNew(
                () =>
                {
                    bool hit = SearchRange(challenge, difficultyBits, start, count, stop.Token, out ulong nonce, out long tried);
                    Interlocked.Add(ref totalTried, tried);
                    if (hit && Interlocked.CompareExchange(ref found, 1, 0) == 0)
                    {
                        winner = nonce;
                        stop.Cancel();
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);

        if (found == 1)
        {
            return new PowSolution(winner, totalTried);
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new PowExhaustedException(startNonce, ulong.MaxValue, difficultyBits);
    }

    // The inner loop: the challenge's part of the hash is computed once (ProofHasher), each nonce costs the rest
    // of one SHA-256 block, and nothing is allocated per hash.
    // Returns false when the range is exhausted or the token is cancelled (checked every 1024 hashes).
    internal static bool SearchRange(
        ReadOnlySpan<byte> challengeHash32,
        int difficultyBits,
        ulong startNonce,
        ulong count,
        CancellationToken cancellationToken,
        out ulong nonce,
        out long hashesTried)
    {
        var hasher = new ProofHasher(challengeHash32);

        ulong i = 0;
        while (i < count)
        {
            if (i % CancellationCheckInterval == 0 && cancellationToken.IsCancellationRequested)
            {
                break;
            }

            ulong candidate = unchecked(startNonce + i);
            i++;
            if (BitOperations.LeadingZeroCount(hasher.Leading64(candidate)) >= difficultyBits)
            {
                nonce = candidate;
                hashesTried = Saturate(i);
                return true;
            }
        }

        nonce = 0;
        hashesTried = Saturate(i);
        return false;
    }

    private static long Saturate(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
