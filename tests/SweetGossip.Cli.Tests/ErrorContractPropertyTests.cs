using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// Random command lines built from real commands, real options and a mix of good and awkward values:
/// whatever happens, no exception escapes and the output follows the contract (success; an "invalid"
/// verdict on stdout with exit 1 (one line, or JSON with "valid": false); or one "error:" line on stderr and nothing on stdout).
/// `pow solve` and `demo` are left out: random difficulties could make them run for a long time.
/// </summary>
public sealed class ErrorContractPropertyTests : CliTestBase
{
    // Each command with its options. Most generated lines give each of its options a value, so they get
    // past parsing and exercise the actions; some drop options or add another command's.
    private static readonly (string[] Path, string[] Options)[] Commands =
    [
        ([], []), (["keys"], []), (["ca"], []), (["pow"], []), (["nonsense"], []),
        (["keys", "new"], ["--out"]),
        (["keys", "sign"], ["--key", "--message"]),
        (["keys", "verify"], ["--public-key", "--signature", "--message"]),
        (["ca", "new"], ["--name", "--out"]),
        (["ca", "issue"], ["--ca", "--subject", "--name", "--property", "--not-before", "--not-after", "--out"]),
        (["ca", "revoke"], ["--ca", "--serial", "--cert", "--out"]),
        (["cert", "verify"], ["--cert", "--ca-name", "--ca-public-key", "--ca", "--revocations", "--at"]),
        (["topic", "taxi"], ["--lat", "--lon", "--precision", "--after", "--before", "--dropoff-lat", "--dropoff-lon"]),
        (["pow", "verify"], ["--favour-id", "--payload-hash", "--issuer", "--difficulty", "--valid-until", "--nonce", "--scheme", "--now"]),
    ];

    private static readonly string[] AllOptions = Commands.SelectMany(c => c.Options).Distinct().ToArray();

    private static readonly string[] Awkward =
    [
        "", " ", "0", "1", "-1", "9", "65", "1e400", "NaN", "-Infinity", "abc", "zz", "é", "=", "line\nbreak",
        new string('f', 64), new string('0', 64), "18446744073709551616", "now+1x", "2026-13-45",
    ];

    private readonly Dictionary<string, string[]> _good;
    private readonly string[] _files;

    public ErrorContractPropertyTests()
    {
        // Real files of every kind, made once per test (FsCheck may call the property method more than once).
        var ca = NewAuthority();
        var key = NewKey();
        var cert = Issue(ca, key);
        var list = PathOf("list.json");
        Ok("ca", "revoke", "--ca", ca, "--serial", "0123456789abcdef0123456789abcdef", "--out", list);
        File.WriteAllText(PathOf("garbage.json"), "{not json");
        var signature = Ok("keys", "sign", "--key", key, "--message", "hello").OutLines[0];
        string[] times = ["now", "now+1h", "+2d", "-1d", "2030-01-01T00:00:00Z", "2001-01-01T00:00:00Z"];
        string[] hex = ["00112233445566778899aabbccddeeff", new string('a', 64), "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"];
        _files = [ca, key, cert, list, PathOf("garbage.json"), PathOf("missing.json"), Dir];
        var outputs = Enumerable.Range(0, 30).Select(i => PathOf($"out{i}.json")).ToArray();
        _good = new()
        {
            ["--out"] = [.. outputs, key],
            ["--key"] = [key, ca],
            ["--message"] = ["hello", "other"],
            ["--public-key"] = [PublicKeyOf(key), PublicKeyOf(ca)],
            ["--signature"] = [signature],
            ["--name"] = ["Sydney Taxi Council", "taxi-driver"],
            ["--ca"] = [ca, key],
            ["--subject"] = [key, PublicKeyOf(key)],
            ["--property"] = ["licence=B", "area=r3gx"],
            ["--not-before"] = times,
            ["--not-after"] = times,
            ["--at"] = times,
            ["--after"] = times,
            ["--before"] = times,
            ["--serial"] = ["0123456789abcdef0123456789abcdef"],
            ["--cert"] = [cert, list],
            ["--ca-name"] = ["Sydney Taxi Council", "Other"],
            ["--ca-public-key"] = [PublicKeyOf(ca), PublicKeyOf(key)],
            ["--revocations"] = [list, cert],
            ["--lat"] = ["-33.8647", "90", "-90.0001"],
            ["--lon"] = ["151.2096", "-180", "180.5"],
            ["--dropoff-lat"] = ["-33.9"],
            ["--dropoff-lon"] = ["151.1"],
            ["--precision"] = ["1", "7", "8"],
            ["--favour-id"] = hex,
            ["--payload-hash"] = hex,
            ["--issuer"] = hex,
            ["--difficulty"] = ["0", "1", "4", "64"],
            ["--valid-until"] = ["4102444800", "100"],
            ["--nonce"] = ["0", "1", "18446744073709551615"],
            ["--scheme"] = ["sha256", "md5"],
            ["--now"] = ["0", "4102444801"],
        };
    }

    [Property(MaxTest = 1000)]
    public Property Every_outcome_follows_the_output_contract()
    {
        Gen<string> ValueFor(string option) => option == "--out"
            ? Gen.Elements(_good["--out"]) // never a relative path: nothing may be written outside the temp directory
            : Gen.Frequency((6, Gen.Elements(_good[option])), (1, Gen.Elements(Awkward)), (1, Gen.Elements(_files)));
        Gen<string[]> Pair(string option) => ValueFor(option).Select(v => new[] { option, v });
        var extra = Gen.Frequency(
            (2, Gen.Elements(AllOptions).SelectMany(Pair)),
            (1, Gen.Elements("--json", "stray", "--lat").Select(s => new[] { s })));

        // Commands without options only ever fail to parse: pick them less often.
        var commands = Gen.Frequency(Commands.Select(c => (c.Options.Length == 0 ? 1 : 6, Gen.Constant(c))).ToArray());
        var commandLines = commands.SelectMany(command =>
        {
            // Each own option present with probability 15/16 (so a required one is sometimes missing).
            var own = command.Options.Aggregate(Gen.Constant(Array.Empty<string>()), (acc, option) =>
                acc.SelectMany(args => Gen.Frequency(
                    (15, Pair(option).Select(p => args.Concat(p).ToArray())),
                    (1, Gen.Constant(args)))));
            var extras = Gen.Frequency((8, Gen.Constant(Array.Empty<string>())), (1, extra), (1, extra.Zip(extra, (a, b) => a.Concat(b).ToArray())));
            return own.Zip(extras, (a, b) => command.Path.Concat(a).Concat(b).ToArray());
        });

        return Prop.ForAll(commandLines.ToArbitrary(), args =>
        {
            var result = Run(args);
            var ok = result.ExitCode switch
            {
                0 => result.Err.Length == 0,
                1 when result.Err.Length == 0 => args.Contains("--json")
                    ? !result.Json().GetProperty("valid").GetBoolean()
                    : result.OutLines.Length == 1 && result.OutLines[0].StartsWith("invalid", StringComparison.Ordinal),
                _ => result.Out.Length == 0 && result.ErrLines.Length == 1 && result.Err.StartsWith("error: ", StringComparison.Ordinal)
                     && result.Err.IndexOf('\n') == result.Err.Length - 1,
            };
            var outcome = result.ExitCode == 1 && result.Err.Length == 0 ? "exit 1 (verdict)" : $"exit {result.ExitCode}";
            return ok.Collect(outcome).Label($"sgossip {string.Join(' ', args.Select(a => $"'{a}'"))}\n{result}");
        });
    }
}
