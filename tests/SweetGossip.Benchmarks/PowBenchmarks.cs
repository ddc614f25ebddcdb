using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SweetGossip.Protocol.Pow;

namespace SweetGossip.Benchmarks;

// Proof-of-work cost on one core. The *_PerHash benchmarks run 1,000 hashes per invoke, so their Mean is the
// time per hash; hashes/s per core = 1e9 / Mean(ns).
//   dotnet run -c Release --project tests/SweetGossip.Benchmarks -- --filter '*Pow*' --job short
[MemoryDiagnoser]
public class PowBenchmarks
{
    private const int Batch = 1000;

    private readonly byte[] _input40 = new byte[40];
    private readonly byte[] _hash = new byte[32];
    private PowChallenge _challenge = null!;
    private byte[] _challengeHash = null!;
    private ulong _nextNonce;

    [GlobalSetup]
    public void Setup()
    {
        var favourId = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var payloadHash = SHA256.HashData("benchmark payload"u8);
        var issuer = Enumerable.Range(0xa0, 32).Select(i => (byte)i).ToArray();
        _challenge = new PowChallenge(favourId, payloadHash, issuer, 16, 1_700_000_000);
        _challengeHash = _challenge.ComputeChallengeHash();
        _challengeHash.CopyTo(_input40, 0);
    }

    // The solver's own inner loop over 1,000 fresh nonces. Difficulty 64 so it never stops early.
    [Benchmark(OperationsPerInvoke = Batch)]
    public bool Solver_PerHash()
    {
        bool found = PowSolver.SearchRange(_challengeHash, 64, _nextNonce, Batch, CancellationToken.None, out _, out _);
        _nextNonce += Batch;
        return found;
    }

    // Raw one-shot SHA-256 of the same 40-byte input, for comparison with the solver's loop.
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public byte RawSha256_40Bytes_PerHash()
    {
        for (int i = 0; i < Batch; i++)
        {
            SHA256.HashData(_input40, _hash);
        }

        return _hash[0];
    }

    // Verifier with the challenge hash already known: one proof hash.
    [Benchmark]
    public bool Verify_Satisfies() => PowVerifier.Satisfies(_challengeHash, 29250, 16);

    // Full verification from the conditions: challenge hash (114 bytes) + proof hash.
    [Benchmark]
    public PowVerdict Verify_Full() => PowVerifier.Verify(PowSchemes.Sha256, _challenge, 29250, 1_600_000_000);

    [Benchmark]
    public byte[] ChallengeHash() => _challenge.ComputeChallengeHash();
}
