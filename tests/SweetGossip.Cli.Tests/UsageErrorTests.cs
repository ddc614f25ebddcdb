namespace SweetGossip.Cli.Tests;

/// <summary>Bad usage, missing and malformed files: always exit non-zero, one "error:" line on stderr, nothing on stdout.</summary>
public sealed class UsageErrorTests : CliTestBase
{
    [Theory]
    [InlineData("frob")]
    [InlineData("keys", "frob")]
    [InlineData("keys", "new", "--out", "x.json", "extra")]
    [InlineData("keys", "new", "--bogus", "1", "--out", "x.json")]
    public void Unknown_command_or_argument_is_one_line_naming_it(params string[] args)
    {
        var unknown = args.First(a => a is "frob" or "extra" or "--bogus");
        var line = AssertOneLineError(Run(args));
        Assert.Contains($"'{unknown}'", line);
        Assert.False(File.Exists("x.json"));
    }

    [Fact]
    public void Without_libsecp256k1_every_command_fails_at_start_in_one_line()
    {
        // The line Secp256k1Library writes when the native library does not load; nothing else runs.
        const string why = "libsecp256k1 (package Secp256k1.Net) cannot be used on this platform, Linux S390x (linux-s390x): not found";
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CliApp.Run(["keys", "new", "--out", "x.json"], output, error, why);
        var line = AssertOneLineError(new CliResult(exit, output.ToString(), error.ToString()));
        Assert.Equal($"error: {why}", line);
        Assert.False(File.Exists("x.json"));
        Assert.Null(SweetGossip.Protocol.Crypto.Secp256k1Library.LoadError);
    }

    [Theory]
    [InlineData("")]
    [InlineData("keys")]
    [InlineData("--json")]
    [InlineData("pow --json")]
    public void No_subcommand_is_one_line(string commandLine)
    {
        var line = AssertOneLineError(Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        Assert.DoesNotContain("  ", line); // no hole where a command name should be
    }

    [Theory]
    [InlineData("--out", "keys", "new")]
    [InlineData("--key", "keys", "sign", "--message", "m")]
    [InlineData("--message", "keys", "sign", "--key", "k.json")]
    [InlineData("--lat", "topic", "taxi", "--lon", "1")]
    [InlineData("--nonce", "pow", "verify", "--favour-id", "00", "--payload-hash", "00", "--issuer", "00", "--difficulty", "1", "--valid-until", "1")]
    [InlineData("--ca", "ca", "issue", "--subject", "s", "--name", "n", "--out", "o.json")]
    [InlineData("--cert", "cert", "verify", "--ca", "ca.json")]
    public void Missing_required_option_is_one_line_naming_it(string missing, params string[] args)
    {
        var result = Run(args);
        var line = AssertOneLineError(result);
        Assert.Contains(missing, line);
        Assert.Equal(2, result.ExitCode);
    }

    [Theory]
    [InlineData("topic", "taxi", "--lat", "abc", "--lon", "1", "--lat")]
    [InlineData("topic", "taxi", "--lat", "1", "--lon", "east", "--lon")]
    [InlineData("topic", "taxi", "--lat", "1", "--lon", "1", "--precision", "seven", "--precision")]
    [InlineData("demo", "--difficulty", "lots", "--difficulty")]
    public void Non_numeric_value_is_one_line_naming_the_option(params string[] argsThenOption)
    {
        var option = argsThenOption[^1];
        var line = AssertOneLineError(Run(argsThenOption[..^1]));
        Assert.Contains(option, line);
        Assert.Contains(argsThenOption[Array.IndexOf(argsThenOption, option) + 1], line);
    }

    [Fact]
    public void Option_value_missing_at_the_end_is_one_line()
    {
        Assert.Contains("--out", AssertOneLineError(Run("keys", "new", "--out")));
    }

    [Theory]
    [InlineData("keys", "new")]
    [InlineData("ca", "new", "--name", "X")]
    public void Output_that_is_empty_or_a_directory_is_one_line_naming_the_option(params string[] command)
    {
        Assert.Equal("error: --out: no file name given", AssertOneLineError(Run([.. command, "--out", ""])));
        Assert.Equal($"error: --out: {Dir} is a directory", AssertOneLineError(Run([.. command, "--out", Dir])));
    }

    [Fact]
    public void Help_goes_to_stdout_with_exit_0()
    {
        var result = Run("keys", "new", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Err);
        Assert.Contains("--out", result.Out);
    }

    [Fact]
    public void Missing_key_file_is_file_not_found_with_the_path()
    {
        var path = PathOf("nope.json");
        var line = AssertOneLineError(Run("keys", "sign", "--key", path, "--message", "m"));
        Assert.Equal($"error: file not found: {path}", line);
    }

    [Fact]
    public void Missing_files_everywhere_are_file_not_found_with_the_path()
    {
        var missing = PathOf("missing.json");
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey());

        Assert.Equal($"error: file not found: {missing}", AssertOneLineError(Run("ca", "issue", "--ca", missing, "--subject", NewKey("s.json"), "--name", "n", "--out", PathOf("c.json"))));
        Assert.Equal($"error: file not found: {missing}", AssertOneLineError(Run("ca", "revoke", "--ca", missing, "--serial", "0123456789abcdef0123456789abcdef", "--out", PathOf("r.json"))));
        Assert.Equal($"error: file not found: {missing}", AssertOneLineError(Run("ca", "revoke", "--ca", ca, "--cert", missing, "--out", PathOf("r.json"))));
        Assert.Equal($"error: file not found: {missing}", AssertOneLineError(Run("cert", "verify", "--cert", missing, "--ca", ca)));
        Assert.Equal($"error: file not found: {missing}", AssertOneLineError(Run("cert", "verify", "--cert", cert, "--ca", missing)));
        Assert.Equal($"error: file not found: {missing}", AssertOneLineError(Run("cert", "verify", "--cert", cert, "--ca", ca, "--revocations", missing)));
    }

    [Fact]
    public void A_directory_given_as_a_key_file_is_one_line()
    {
        Assert.Contains(Dir, AssertOneLineError(Run("keys", "sign", "--key", Dir, "--message", "m")));
    }

    public static TheoryData<string, string> MalformedKeyFiles()
    {
        var key = SweetGossip.Protocol.Crypto.PrivateKey.Generate();
        var secret = SweetGossip.Protocol.Crypto.Hex.Encode(key.ToBytes());
        var pub = key.PublicKey.ToHex();
        var otherPub = SweetGossip.Protocol.Crypto.PrivateKey.Generate().PublicKey.ToHex();
        return new TheoryData<string, string>
        {
            { "not json", "{bad" },
            { "empty file", "" },
            { "whitespace", "   \n  " },
            { "json null", "null" },
            { "json array", "[1,2]" },
            { "json string", "\"key\"" },
            { "empty object", "{}" },
            { "type only", """{"type":"sweetgossip-key"}""" },
            { "no public key", $$"""{"type":"sweetgossip-key","secret_key":"{{secret}}"}""" },
            { "no secret key", $$"""{"type":"sweetgossip-key","public_key":"{{pub}}"}""" },
            { "null secret key", $$"""{"type":"sweetgossip-key","secret_key":null,"public_key":"{{pub}}"}""" },
            { "wrong type", $$"""{"type":"sweetgossip-authority","secret_key":"{{secret}}","public_key":"{{pub}}"}""" },
            { "type is a number", $$"""{"type":5,"secret_key":"{{secret}}","public_key":"{{pub}}"}""" },
            { "secret not hex", $$"""{"type":"sweetgossip-key","secret_key":"xyz","public_key":"{{pub}}"}""" },
            { "secret too short", $$"""{"type":"sweetgossip-key","secret_key":"abcd","public_key":"{{pub}}"}""" },
            { "secret is zero", $$"""{"type":"sweetgossip-key","secret_key":"{{new string('0', 64)}}","public_key":"{{pub}}"}""" },
            { "secret above the order", $$"""{"type":"sweetgossip-key","secret_key":"{{new string('f', 64)}}","public_key":"{{pub}}"}""" },
            { "mismatched public key", $$"""{"type":"sweetgossip-key","secret_key":"{{secret}}","public_key":"{{otherPub}}"}""" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedKeyFiles))]
    public void Malformed_key_file_is_one_clear_line_naming_the_file(string what, string content)
    {
        var path = PathOf("key.json");
        File.WriteAllText(path, content);

        var result = Run("keys", "sign", "--key", path, "--message", "m");

        var line = AssertOneLineError(result);
        Assert.True(result.ExitCode == 1, what);
        Assert.Contains(path, line);
        Assert.DoesNotContain("Parameter", line); // no .NET argument-exception wording
        Assert.DoesNotContain("SweetGossip.", line); // no .NET type names
    }

    [Theory]
    [InlineData("{}", "missing 'type'")]
    [InlineData("""{"type":"sweetgossip-key"}""", "missing 'secret_key', 'public_key'")]
    [InlineData("""{"type":"sweetgossip-authority"}""", "type is 'sweetgossip-authority', expected 'sweetgossip-key'")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("", "the file is empty")]
    [InlineData("{\"type\":", "line 1")]
    public void Malformed_key_file_says_what_is_wrong(string content, string expected)
    {
        var path = PathOf("key.json");
        File.WriteAllText(path, content);

        var line = AssertOneLineError(Run("keys", "sign", "--key", path, "--message", "m"));

        Assert.StartsWith($"error: {path}: not a valid key file (", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public void A_key_file_whose_public_key_is_not_its_own_is_refused()
    {
        var path = NewKey();
        var other = PublicKeyOf(NewKey("other.json"));
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        node["public_key"] = other;
        File.WriteAllText(path, node.ToJsonString());

        var line = AssertOneLineError(Run("keys", "sign", "--key", path, "--message", "m"));

        Assert.Equal($"error: {path}: key file is inconsistent: public_key does not belong to secret_key", line);
    }

    [Fact]
    public void A_key_file_with_an_uppercase_public_key_is_accepted()
    {
        var path = NewKey();
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        node["public_key"] = PublicKeyOf(path).ToUpperInvariant();
        File.WriteAllText(path, node.ToJsonString());

        Ok("keys", "sign", "--key", path, "--message", "m");
    }

    [Theory]
    [InlineData("one line", "one line")]
    [InlineData("first\nsecond", "first second")]
    [InlineData("first\r\n  second\n", "first second")]
    [InlineData("Latitude must be in [-90, 90]. (Parameter 'latitude')\nActual value was NaN.", "Latitude must be in [-90, 90]. (Parameter 'latitude') Actual value was NaN.")]
    public void Messages_are_folded_to_one_line(string message, string expected)
    {
        Assert.Equal(expected, CliApp.OneLine(message));
    }

    [Fact]
    public void Malformed_key_file_as_a_subject_is_one_line_naming_the_file()
    {
        var path = PathOf("subject.json");
        File.WriteAllText(path, "{bad");
        var line = AssertOneLineError(Run("ca", "issue", "--ca", NewAuthority(), "--subject", path, "--name", "n", "--out", PathOf("c.json")));
        Assert.Contains(path, line);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"type":"sweetgossip-authority"}""")]
    [InlineData("""{"type":"sweetgossip-authority","name":"X","secret_key":"zz","public_key":"00"}""")]
    [InlineData("""{"type":"sweetgossip-authority","name":"","secret_key":"0000000000000000000000000000000000000000000000000000000000000001","public_key":"79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798","revoked_serials":[]}""")]
    [InlineData("""{"type":"sweetgossip-authority","name":"X","secret_key":"0000000000000000000000000000000000000000000000000000000000000001","public_key":"79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798","revoked_serials":["nope"]}""")]
    [InlineData("""{"type":"sweetgossip-authority","name":"X","secret_key":"0000000000000000000000000000000000000000000000000000000000000001","public_key":"0000000000000000000000000000000000000000000000000000000000000001","revoked_serials":[]}""")]
    public void Malformed_authority_file_is_one_line_naming_the_file(string content)
    {
        var path = PathOf("ca.json");
        File.WriteAllText(path, content);

        foreach (var args in new[]
        {
            new[] { "ca", "revoke", "--ca", path, "--serial", "0123456789abcdef0123456789abcdef", "--out", PathOf("r.json") },
            new[] { "ca", "issue", "--ca", path, "--subject", "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "--name", "n", "--out", PathOf("c.json") },
        })
        {
            var line = AssertOneLineError(Run(args));
            Assert.Contains(path, line);
        }

        Assert.False(File.Exists(PathOf("r.json")));
        Assert.False(File.Exists(PathOf("c.json")));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"type":"sweetgossip-certificate"}""")]
    [InlineData("""{"type":"sweetgossip-certificate","wire":""}""")]
    [InlineData("""{"type":"sweetgossip-certificate","wire":"AAAA"}""")]
    [InlineData("""{"type":"sweetgossip-certificate","wire":5}""")]
    public void Malformed_certificate_file_is_one_line_naming_the_file(string content)
    {
        var ca = NewAuthority();
        var path = PathOf("cert.json");
        File.WriteAllText(path, content);

        Assert.Contains(path, AssertOneLineError(Run("cert", "verify", "--cert", path, "--ca", ca)));
        Assert.Contains(path, AssertOneLineError(Run("ca", "revoke", "--ca", ca, "--cert", path, "--out", PathOf("r.json"))));
    }
}
