using System.CommandLine;
using System.Diagnostics;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Pow;

namespace SweetGossip.Cli.Commands;

/// <summary>`sgossip pow solve|verify`: the favour's proof of work, outside a node.</summary>
internal static class PowCommands
{
    public static Command Build()
    {
        var pow = new Command("pow", "Proof of work (scheme sha256, difficulty in leading zero bits)");
        pow.Subcommands.Add(Solve());
        pow.Subcommands.Add(Verify());
        return pow;
    }

    private sealed record ChallengeOptions(
        Option<string> FavourId, Option<string> PayloadHash, Option<string> Issuer, Option<int> Difficulty, Option<long> ValidUntil)
    {
        public static ChallengeOptions Create() => new(
            Options.Required<string>("--favour-id", "Favour id from the conditions (32 hex digits)"),
            Options.Required<string>("--payload-hash", "SHA-256 of the signed request payload (64 hex digits)"),
            Options.Required<string>("--issuer", "Public key of the peer that set the conditions (64 hex digits)"),
            Options.Required<int>("--difficulty", "Leading zero bits required, 0..64"),
            Options.Required<long>("--valid-until", "Conditions' valid_until, unix seconds"));

        public Option[] All => [FavourId, PayloadHash, Issuer, Difficulty, ValidUntil];

        public PowChallenge Read(ParseResult parse) => new(
            Options.HexBytes(parse.GetValue(FavourId)!, PowChallenge.FavourIdLength, "--favour-id"),
            Options.HexBytes(parse.GetValue(PayloadHash)!, PowChallenge.PayloadHashLength, "--payload-hash"),
            Options.PublicKeyHex(parse.GetValue(Issuer)!, "--issuer").ToBytes(),
            CheckedDifficulty(parse.GetValue(Difficulty)),
            parse.GetValue(ValidUntil));

        private static int CheckedDifficulty(int bits) =>
            bits is >= 0 and <= PowChallenge.MaxDifficultyBits ? bits : throw new CliException($"--difficulty: {bits} is outside 0..{PowChallenge.MaxDifficultyBits}");
    }

    private static Command Solve()
    {
        var challenge = ChallengeOptions.Create();
        var workers = Options.WithDefault("--workers", "Parallel workers", Environment.ProcessorCount);
        var command = Options.Command("solve", "Find a nonce meeting the difficulty", [.. challenge.All, workers]);
        command.SetAction(async (parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var c = challenge.Read(parse);
            var count = parse.GetValue(workers);
            if (count < 1) throw new CliException("--workers: must be at least 1");
            var clock = Stopwatch.StartNew();
            var solution = await PowSolver.SolveAsync(c.ComputeChallengeHash(), c.DifficultyBits, count, cancel);
            var seconds = clock.Elapsed.TotalSeconds;
            var rate = seconds > 0 ? solution.HashesTried / seconds : 0;
            ctx.Write(new
            {
                solution.Nonce,
                solution.HashesTried,
                ExpectedHashes = PowVerifier.ExpectedHashes(c.DifficultyBits),
                Seconds = Math.Round(seconds, 3),
                HashesPerSecond = Math.Round(rate),
            },
            $"nonce {solution.Nonce}",
            $"{solution.HashesTried:N0} hashes (expected {PowVerifier.ExpectedHashes(c.DifficultyBits):N0}) in {seconds:0.###} s, {rate:N0} hashes/s on {count} worker(s)");
            return 0;
        });
        return command;
    }

    private static Command Verify()
    {
        var challenge = ChallengeOptions.Create();
        var nonce = Options.Required<ulong>("--nonce", "The nonce to check");
        var scheme = Options.WithDefault("--scheme", "PoW scheme", PowSchemes.Sha256);
        var at = Options.Optional<long?>("--now", "Check as of this unix time (default: now)");
        var command = Options.Command("verify", "Check a proof of work; exit code 1 if it is not valid", [.. challenge.All, nonce, scheme, at]);
        command.SetAction(parse =>
        {
            var ctx = CliContext.From(parse);
            var c = challenge.Read(parse);
            var now = parse.GetValue(at) ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var schemeName = parse.GetValue(scheme)!;
            var verdict = PowVerifier.Verify(schemeName, c, parse.GetValue(nonce), now);
            var hash = PowVerifier.ProofHash(c.ComputeChallengeHash(), parse.GetValue(nonce));
            var bits = PowVerifier.LeadingZeroBits(hash);
            ctx.Write(new { Valid = verdict == PowVerdict.Valid, Verdict = verdict.ToString(), LeadingZeroBits = bits, ProofHash = Hex.Encode(hash) },
                verdict switch
                {
                    PowVerdict.Valid => $"valid: {bits} leading zero bits (needed {c.DifficultyBits})",
                    PowVerdict.UnknownScheme => $"invalid ({verdict}): unknown scheme '{CliContext.Visible(schemeName)}' (known: {PowSchemes.Sha256})",
                    PowVerdict.Expired => $"invalid ({verdict}): the conditions expired at valid_until {c.ValidUntilUnixSeconds}, it is now {now}",
                    _ => $"invalid ({verdict}): {bits} leading zero bits, needed {c.DifficultyBits}",
                });
            return verdict == PowVerdict.Valid ? 0 : 1;
        });
        return command;
    }
}
