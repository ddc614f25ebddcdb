using System.Text;
using System.Text.Json;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cli.Tests;

public sealed class KeysCommandTests : CliTestBase
{
    private static readonly System.Text.RegularExpressions.Regex Hex64 = new("^[0-9a-f]{64}$");

    [Fact]
    public void New_writes_a_key_file_whose_public_key_is_printed()
    {
        var path = PathOf("alice.json");
        var result = Ok("keys", "new", "--out", path);

        Assert.True(File.Exists(path));
        var printed = Assert.Single(result.OutLines);
        Assert.Matches(Hex64, printed);
        using var file = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("sweetgossip-key", file.RootElement.GetProperty("type").GetString());
        Assert.Equal(printed, file.RootElement.GetProperty("public_key").GetString());
        // The file's secret key really belongs to the printed public key.
        var secret = PrivateKey.FromHex(file.RootElement.GetProperty("secret_key").GetString()!);
        Assert.Equal(printed, secret.PublicKey.ToHex());
    }

    [Fact]
    public void New_creates_missing_parent_directories()
    {
        var path = PathOf(Path.Combine("nested", "deeper", "k.json"));
        Ok("keys", "new", "--out", path);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void New_refuses_to_overwrite_and_leaves_the_file_untouched()
    {
        var path = NewKey();
        var before = File.ReadAllText(path);

        var line = AssertOneLineError(Run("keys", "new", "--out", path));

        Assert.Contains(path, line);
        Assert.Contains("already exists", line);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void Two_new_keys_differ()
    {
        Assert.NotEqual(PublicKeyOf(NewKey("a.json")), PublicKeyOf(NewKey("b.json")));
    }

    [Fact]
    public void Sign_then_verify_is_valid()
    {
        var key = NewKey();
        var signature = Assert.Single(Ok("keys", "sign", "--key", key, "--message", "pickup at 18:00").OutLines);
        Assert.Matches("^[0-9a-f]{128}$", signature);

        var result = Ok("keys", "verify", "--public-key", PublicKeyOf(key), "--signature", signature, "--message", "pickup at 18:00");

        Assert.Equal("valid", Assert.Single(result.OutLines));
    }

    [Fact]
    public void Signature_is_a_message_domain_signature_checkable_by_the_library()
    {
        var key = NewKey();
        var message = "héllo, 世界";
        var signature = Ok("keys", "sign", "--key", key, "--message", message).OutLines[0];

        var publicKey = PublicKey.FromHex(PublicKeyOf(key));
        var bytes = Encoding.UTF8.GetBytes(message);
        Assert.True(DomainSignature.Verify(publicKey, SignatureDomains.Message, bytes, Hex.Decode(signature)));
        // Domain separation: the same signature is not a certificate signature over the same bytes.
        Assert.False(DomainSignature.Verify(publicKey, SignatureDomains.Certificate, bytes, Hex.Decode(signature)));
    }

    [Fact]
    public void Verify_with_another_message_is_invalid_with_exit_1()
    {
        var key = NewKey();
        var signature = Ok("keys", "sign", "--key", key, "--message", "pickup at 18:00").OutLines[0];

        var result = Run("keys", "verify", "--public-key", PublicKeyOf(key), "--signature", signature, "--message", "pickup at 18:01");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Err);
        Assert.StartsWith("invalid", Assert.Single(result.OutLines));
    }

    [Fact]
    public void Verify_with_another_key_is_invalid_with_exit_1()
    {
        var key = NewKey("signer.json");
        var other = NewKey("other.json");
        var signature = Ok("keys", "sign", "--key", key, "--message", "m").OutLines[0];

        var result = Run("keys", "verify", "--public-key", PublicKeyOf(other), "--signature", signature, "--message", "m");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("invalid", Assert.Single(result.OutLines));
    }

    [Fact]
    public void Verify_with_a_flipped_signature_bit_is_invalid()
    {
        var key = NewKey();
        var signature = Ok("keys", "sign", "--key", key, "--message", "m").OutLines[0];
        var bytes = Hex.Decode(signature);
        bytes[40] ^= 0x01;

        var result = Run("keys", "verify", "--public-key", PublicKeyOf(key), "--signature", Hex.Encode(bytes), "--message", "m");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("invalid", result.OutLines[0]);
    }

    [Fact]
    public void Json_output_of_new_sign_and_verify_has_the_expected_fields()
    {
        var path = PathOf("k.json");
        var created = Ok("keys", "new", "--out", path, "--json").Json();
        Assert.Matches(Hex64, created.GetProperty("public_key").GetString()!);
        Assert.Equal(path, created.GetProperty("file").GetString());
        Assert.Equal(PublicKeyOf(path), created.GetProperty("public_key").GetString());

        var signed = Ok("--json", "keys", "sign", "--key", path, "--message", "m").Json();
        Assert.Equal(PublicKeyOf(path), signed.GetProperty("public_key").GetString());
        var signature = signed.GetProperty("signature").GetString()!;
        Assert.Equal(128, signature.Length);

        var valid = Ok("keys", "verify", "--json", "--public-key", PublicKeyOf(path), "--signature", signature, "--message", "m").Json();
        Assert.True(valid.GetProperty("valid").GetBoolean());

        var invalid = Run("keys", "verify", "--json", "--public-key", PublicKeyOf(path), "--signature", signature, "--message", "x");
        Assert.Equal(1, invalid.ExitCode);
        Assert.False(invalid.Json().GetProperty("valid").GetBoolean());
    }

    [Fact]
    public void Every_signature_of_the_same_message_verifies()
    {
        // BIP-340 signing may use auxiliary randomness; either way every signature must verify.
        var key = NewKey();
        for (var i = 0; i < 3; i++)
        {
            var signature = Ok("keys", "sign", "--key", key, "--message", "again").OutLines[0];
            Ok("keys", "verify", "--public-key", PublicKeyOf(key), "--signature", signature, "--message", "again");
        }
    }

    [Theory]
    [InlineData("--public-key", "zz", "--public-key")]
    [InlineData("--public-key", "abcd", "--public-key")]
    [InlineData("--public-key", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "--public-key")]
    [InlineData("--signature", "abcd", "--signature")]
    [InlineData("--signature", "not hex at all", "--signature")]
    public void Verify_with_malformed_hex_names_the_option(string option, string value, string named)
    {
        var key = NewKey();
        var signature = Ok("keys", "sign", "--key", key, "--message", "m").OutLines[0];
        var args = new Dictionary<string, string> { ["--public-key"] = PublicKeyOf(key), ["--signature"] = signature, ["--message"] = "m" };
        args[option] = value;

        var line = AssertOneLineError(Run(["keys", "verify", .. args.SelectMany(a => new[] { a.Key, a.Value })]));

        Assert.Contains(named, line);
    }
}
