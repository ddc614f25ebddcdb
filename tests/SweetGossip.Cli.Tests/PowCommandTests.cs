using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SweetGossip.Cli.Tests;

public sealed class PowCommandTests : CliTestBase
{
    // Fixed inputs. The issuer is the x-coordinate of the secp256k1 generator, a valid x-only key.
    private const string FavourId = "00112233445566778899aabbccddeeff";
    private const string PayloadHash = "abababababababababababababababababababababababababababababababab";
    private const string Issuer = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    private const long ValidUntil = 4102444800; // 2100-01-01T00:00:00Z
    private const int Difficulty = 12;

    private static string[] Challenge(int difficulty = Difficulty, long validUntil = ValidUntil, string favourId = FavourId) =>
    [
        "--favour-id", favourId, "--payload-hash", PayloadHash, "--issuer", Issuer,
        "--difficulty", difficulty.ToString(CultureInfo.InvariantCulture), "--valid-until", validUntil.ToString(CultureInfo.InvariantCulture),
    ];

    private static string[] Verify(ulong nonce, params string[] extra) =>
        ["pow", "verify", .. Challenge(), "--nonce", nonce.ToString(CultureInfo.InvariantCulture), .. extra];

    private static ulong Solve(params string[] extra)
    {
        var result = Ok(["pow", "solve", .. Challenge(), .. extra]);
        var first = result.OutLines[0];
        Assert.StartsWith("nonce ", first);
        return ulong.Parse(first["nonce ".Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>The leading zero bits of the proof hash, computed from protocol.md D7 independently of the library.</summary>
    private static int SpecLeadingZeroBits(ulong nonce, int difficulty = Difficulty)
    {
        var preimage = new List<byte>();
        preimage.AddRange(Encoding.ASCII.GetBytes("SweetGossip/pow/sha256/v1"));
        preimage.AddRange(Convert.FromHexString(FavourId));
        preimage.AddRange(Convert.FromHexString(PayloadHash));
        preimage.AddRange(Convert.FromHexString(Issuer));
        preimage.Add((byte)difficulty);
        var validUntil = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(validUntil, ValidUntil);
        preimage.AddRange(validUntil);
        var challenge = SHA256.HashData(preimage.ToArray());

        var proofInput = new byte[40];
        challenge.CopyTo(proofInput, 0);
        BinaryPrimitives.WriteUInt64BigEndian(proofInput.AsSpan(32), nonce);
        var proof = SHA256.HashData(proofInput);
        var bits = 0;
        foreach (var b in proof)
        {
            if (b == 0) { bits += 8; continue; }
            for (var mask = 0x80; (b & mask) == 0; mask >>= 1) bits++;
            break;
        }

        return bits;
    }

    [Fact]
    public void Solve_then_verify_the_printed_nonce_is_valid()
    {
        var nonce = Solve();

        var result = Ok(Verify(nonce));

        Assert.StartsWith("valid: ", Assert.Single(result.OutLines));
        Assert.True(SpecLeadingZeroBits(nonce) >= Difficulty, "the CLI's nonce does not meet the difficulty by the spec's own formula");
    }

    [Fact]
    public void Solve_with_one_worker_finds_the_same_nonce_every_time()
    {
        var first = Solve("--workers", "1");
        Assert.Equal(first, Solve("--workers", "1"));
        Assert.True(SpecLeadingZeroBits(first) >= Difficulty);
    }

    [Fact]
    public void Solve_json_output_has_the_expected_fields()
    {
        var json = Ok(["pow", "solve", .. Challenge(), "--json"]).Json();

        var nonce = json.GetProperty("nonce").GetUInt64();
        Assert.True(json.GetProperty("hashes_tried").GetInt64() >= 1);
        Assert.Equal(4096, json.GetProperty("expected_hashes").GetDouble());
        Assert.True(json.TryGetProperty("seconds", out _));
        Assert.True(json.TryGetProperty("hashes_per_second", out _));
        Ok(Verify(nonce));
    }

    [Fact]
    public void Verify_a_nonce_that_does_not_meet_the_difficulty_is_InsufficientWork()
    {
        var solved = Solve();
        // The first nonce after the solution that fails by the spec's formula: deterministic for these inputs.
        var failing = solved + 1;
        while (SpecLeadingZeroBits(failing) >= Difficulty) failing++;

        var line = AssertInvalidVerdict(Run(Verify(failing)), "InsufficientWork");

        Assert.Contains($"{SpecLeadingZeroBits(failing)} leading zero bits", line);
        Assert.Contains("needed 12", line);
    }

    [Fact]
    public void Verify_json_reports_verdict_bits_and_proof_hash()
    {
        var solved = Solve();
        var failing = solved + 1;
        while (SpecLeadingZeroBits(failing) >= Difficulty) failing++;

        var good = Ok(Verify(solved, "--json")).Json();
        Assert.True(good.GetProperty("valid").GetBoolean());
        Assert.Equal("Valid", good.GetProperty("verdict").GetString());
        Assert.Equal(SpecLeadingZeroBits(solved), good.GetProperty("leading_zero_bits").GetInt32());
        Assert.Matches("^[0-9a-f]{64}$", good.GetProperty("proof_hash").GetString()!);

        var bad = Run(Verify(failing, "--json"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("InsufficientWork", bad.Json().GetProperty("verdict").GetString());
        Assert.False(bad.Json().GetProperty("valid").GetBoolean());
    }

    [Fact]
    public void A_nonce_is_bound_to_its_favour_id()
    {
        var nonce = Solve();
        // Same nonce, another favour id: the challenge differs, so it must be checked again, not trusted.
        var other = Run(["pow", "verify", .. Challenge(favourId: "ffeeddccbbaa99887766554433221100"), "--nonce", nonce.ToString(CultureInfo.InvariantCulture), "--json"]);
        var verdict = other.Json().GetProperty("verdict").GetString();
        Assert.True(verdict is "Valid" or "InsufficientWork");
        Assert.Equal(verdict == "Valid" ? 0 : 1, other.ExitCode);
    }

    [Fact]
    public void Difficulty_zero_accepts_any_nonce()
    {
        Ok(["pow", "verify", .. Challenge(difficulty: 0), "--nonce", "0"]);
        Ok(["pow", "verify", .. Challenge(difficulty: 0), "--nonce", ulong.MaxValue.ToString(CultureInfo.InvariantCulture)]);
    }

    [Fact]
    public void Verify_after_valid_until_is_Expired_and_says_so()
    {
        var line = AssertInvalidVerdict(Run(Verify(Solve(), "--now", (ValidUntil + 1).ToString(CultureInfo.InvariantCulture))), "Expired");
        Assert.DoesNotContain("leading zero bits", line); // the work is fine; the conditions expired
        Assert.Contains("valid_until", line);
        Ok(Verify(Solve(), "--now", ValidUntil.ToString(CultureInfo.InvariantCulture))); // valid while now <= valid_until
    }

    [Fact]
    public void Verify_with_an_unknown_scheme_is_UnknownScheme_and_names_it()
    {
        var line = AssertInvalidVerdict(Run(Verify(Solve(), "--scheme", "md5")), "UnknownScheme");
        Assert.Contains("md5", line);
    }

    [Theory]
    [InlineData("--favour-id", "0011", "--favour-id")]
    [InlineData("--favour-id", "00112233445566778899aabbccddeeff00", "--favour-id")]
    [InlineData("--favour-id", "xyz", "--favour-id")]
    [InlineData("--payload-hash", "abab", "--payload-hash")]
    [InlineData("--issuer", "zz", "--issuer")]
    [InlineData("--issuer", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "--issuer")]
    [InlineData("--difficulty", "65", "--difficulty")]
    public void Malformed_challenge_inputs_are_exit_1_naming_the_option(string option, string value, string named)
    {
        foreach (var command in new[] { "solve", "verify" })
        {
            var args = Challenge();
            args[Array.IndexOf(args, option) + 1] = value;
            string[] full = command == "solve" ? ["pow", "solve", .. args] : ["pow", "verify", .. args, "--nonce", "1"];

            var result = Run(full);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains(named, AssertOneLineError(result));
        }
    }

    [Fact]
    public void Zero_workers_is_one_line()
    {
        Assert.Contains("--workers", AssertOneLineError(Run(["pow", "solve", .. Challenge(), "--workers", "0"])));
    }

    [Fact]
    public void Negative_nonce_is_a_usage_error_naming_the_option()
    {
        Assert.Contains("--nonce", AssertOneLineError(Run(["pow", "verify", .. Challenge(), "--nonce", "-1"])));
    }
}
