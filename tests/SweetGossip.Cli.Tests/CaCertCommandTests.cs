using System.Text.Json;
using System.Text.Json.Nodes;

namespace SweetGossip.Cli.Tests;

public sealed class CaCertCommandTests : CliTestBase
{
    private const string Council = "Sydney Taxi Council";

    [Fact]
    public void Ca_new_writes_an_authority_file_and_prints_name_and_key()
    {
        var path = PathOf("ca.json");
        var result = Ok("ca", "new", "--name", Council, "--out", path);

        var line = Assert.Single(result.OutLines);
        using var file = JsonDocument.Parse(File.ReadAllText(path));
        var root = file.RootElement;
        Assert.Equal("sweetgossip-authority", root.GetProperty("type").GetString());
        Assert.Equal(Council, root.GetProperty("name").GetString());
        Assert.Equal($"{Council} {root.GetProperty("public_key").GetString()}", line);
        Assert.Equal(0, root.GetProperty("revoked_serials").GetArrayLength());
    }

    [Fact]
    public void Ca_new_refuses_to_overwrite()
    {
        var path = NewAuthority();
        var before = File.ReadAllText(path);

        var line = AssertOneLineError(Run("ca", "new", "--name", "Other", "--out", path));

        Assert.Contains("already exists", line);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void Ca_new_with_an_empty_name_is_one_clear_line()
    {
        var line = AssertOneLineError(Run("ca", "new", "--name", "", "--out", PathOf("ca.json")));
        Assert.Contains("name", line);
        Assert.False(File.Exists(PathOf("ca.json")));
    }

    [Fact]
    public void Issue_to_a_key_file_then_verify_is_valid_with_all_properties()
    {
        var ca = NewAuthority();
        var key = NewKey();
        var cert = Issue(ca, key, "cert.json", "--property", "licence=B", "--property", "area=r3gx", "--property", "note=a=b");

        var result = Ok("cert", "verify", "--cert", cert, "--ca", ca);
        Assert.StartsWith($"valid: taxi-driver for {PublicKeyOf(key)}", Assert.Single(result.OutLines));

        var json = Ok("cert", "verify", "--cert", cert, "--ca", ca, "--json").Json();
        Assert.True(json.GetProperty("valid").GetBoolean());
        Assert.Equal("Valid", json.GetProperty("verdict").GetString());
        var certificate = json.GetProperty("certificate");
        Assert.Equal(PublicKeyOf(key), certificate.GetProperty("subject").GetString());
        Assert.Equal("taxi-driver", certificate.GetProperty("name").GetString());
        Assert.Equal(Council, certificate.GetProperty("authority").GetString());
        Assert.Equal(PublicKeyOf(ca), certificate.GetProperty("authority_key").GetString());
        var properties = certificate.GetProperty("properties");
        Assert.Equal("B", properties.GetProperty("licence").GetString());
        Assert.Equal("r3gx", properties.GetProperty("area").GetString());
        Assert.Equal("a=b", properties.GetProperty("note").GetString()); // split at the first '='
    }

    [Fact]
    public void Issue_to_a_hex_subject_then_verify_is_valid()
    {
        var ca = NewAuthority();
        var subject = PublicKeyOf(NewKey());
        var cert = PathOf("cert.json");

        var issued = Ok("ca", "issue", "--ca", ca, "--subject", subject, "--name", "rider", "--out", cert, "--json").Json();
        Assert.Equal(subject, issued.GetProperty("subject").GetString());
        Assert.Matches("^[0-9a-f]{32}$", issued.GetProperty("serial").GetString()!);

        var verified = Ok("cert", "verify", "--cert", cert, "--ca", ca, "--json").Json();
        Assert.Equal(subject, verified.GetProperty("certificate").GetProperty("subject").GetString());
        Assert.Equal("rider", verified.GetProperty("certificate").GetProperty("name").GetString());
    }

    [Fact]
    public void Verify_by_authority_name_and_public_key_is_valid()
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey());

        Ok("cert", "verify", "--cert", cert, "--ca-name", Council, "--ca-public-key", PublicKeyOf(ca));
    }

    [Fact]
    public void Verify_trusting_another_authority_is_UnknownAuthority()
    {
        var ca = NewAuthority();
        var other = NewAuthority("Melbourne Taxi Council", "other.json");
        var cert = Issue(ca, NewKey());

        AssertInvalidVerdict(Run("cert", "verify", "--cert", cert, "--ca", other), "UnknownAuthority");

        var json = Run("cert", "verify", "--cert", cert, "--ca", other, "--json");
        Assert.Equal(1, json.ExitCode);
        Assert.Equal("UnknownAuthority", json.Json().GetProperty("verdict").GetString());
        Assert.False(json.Json().GetProperty("valid").GetBoolean());
    }

    [Fact]
    public void Verify_trusting_the_same_name_with_another_key_is_AuthorityKeyMismatch()
    {
        var ca = NewAuthority();
        var impostor = NewAuthority(Council, "impostor.json");
        var cert = Issue(ca, NewKey());

        AssertInvalidVerdict(Run("cert", "verify", "--cert", cert, "--ca", impostor), "AuthorityKeyMismatch");
    }

    [Fact]
    public void Revoke_by_certificate_then_verify_with_the_list_is_Revoked()
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey());
        var list = PathOf("revoked.json");

        var revoked = Ok("ca", "revoke", "--ca", ca, "--cert", cert, "--out", list);
        Assert.Contains("1 revoked in all", revoked.OutLines[0]);

        var line = AssertInvalidVerdict(Run("cert", "verify", "--cert", cert, "--ca", ca, "--revocations", list), "Revoked");
        Assert.Contains("revoked", line);
        var json = Run("cert", "verify", "--cert", cert, "--ca", ca, "--revocations", list, "--json");
        Assert.Equal("Revoked", json.Json().GetProperty("verdict").GetString());

        // Without the list the verifier cannot know, and accepts (protocol D3).
        Ok("cert", "verify", "--cert", cert, "--ca", ca);
    }

    [Fact]
    public void Revocations_accumulate_in_the_authority_file_and_spare_other_certificates()
    {
        var ca = NewAuthority();
        var first = Issue(ca, NewKey("a.json"), "first.json");
        var second = Issue(ca, NewKey("b.json"), "second.json");
        var kept = Issue(ca, NewKey("c.json"), "kept.json");
        var serial = Ok("ca", "issue", "--ca", ca, "--subject", PublicKeyOf(PathOf("c.json")), "--name", "x", "--out", PathOf("fourth.json"), "--json")
            .Json().GetProperty("serial").GetString()!;

        Ok("ca", "revoke", "--ca", ca, "--cert", first, "--out", PathOf("r1.json"));
        Ok("ca", "revoke", "--ca", ca, "--cert", second, "--out", PathOf("r2.json"));
        var third = Ok("ca", "revoke", "--ca", ca, "--serial", serial, "--out", PathOf("r3.json"), "--json").Json();
        Assert.Equal(3, third.GetProperty("revoked").GetArrayLength());
        // Revoking the same one again does not duplicate it.
        Assert.Contains("3 revoked in all", Ok("ca", "revoke", "--ca", ca, "--serial", serial, "--out", PathOf("r4.json")).OutLines[0]);

        var list = PathOf("r4.json");
        AssertInvalidVerdict(Run("cert", "verify", "--cert", first, "--ca", ca, "--revocations", list), "Revoked");
        AssertInvalidVerdict(Run("cert", "verify", "--cert", second, "--ca", ca, "--revocations", list), "Revoked");
        AssertInvalidVerdict(Run("cert", "verify", "--cert", PathOf("fourth.json"), "--ca", ca, "--revocations", list), "Revoked");
        Ok("cert", "verify", "--cert", kept, "--ca", ca, "--revocations", list);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Revoke_needs_exactly_one_of_serial_or_cert(bool both)
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey());
        string[] args = both ? ["--serial", "0123456789abcdef0123456789abcdef", "--cert", cert] : [];

        var line = AssertOneLineError(Run(["ca", "revoke", "--ca", ca, "--out", PathOf("r.json"), .. args]));

        Assert.Contains("--serial", line);
        Assert.Contains("--cert", line);
    }

    [Fact]
    public void Revoke_with_a_malformed_serial_names_the_option()
    {
        var line = AssertOneLineError(Run("ca", "revoke", "--ca", NewAuthority(), "--serial", "1234", "--out", PathOf("r.json")));
        Assert.Contains("--serial", line);
        Assert.Contains("1234", line);
    }

    [Fact]
    public void Revoke_refuses_to_write_the_list_over_the_authority_file()
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey());
        var before = File.ReadAllText(ca);

        var line = AssertOneLineError(Run("ca", "revoke", "--ca", ca, "--cert", cert, "--out", ca));

        Assert.Contains("refusing to overwrite", line);
        Assert.Equal(before, File.ReadAllText(ca)); // the secret key and the revoked list are intact
        Ok("ca", "revoke", "--ca", ca, "--cert", cert, "--out", PathOf("list.json"));
    }

    [Fact]
    public void A_certificate_name_with_a_line_break_is_printed_on_one_line()
    {
        var ca = NewAuthority();
        var cert = PathOf("cert.json");
        Ok("ca", "issue", "--ca", ca, "--subject", NewKey(), "--name", "driver\ninvalid (Revoked): fake", "--out", cert);

        var result = Ok("cert", "verify", "--cert", cert, "--ca", ca);

        Assert.StartsWith("valid: driver\\ninvalid (Revoked): fake for ", Assert.Single(result.OutLines));
        // JSON keeps the exact name.
        var json = Ok("cert", "verify", "--cert", cert, "--ca", ca, "--json").Json();
        Assert.Equal("driver\ninvalid (Revoked): fake", json.GetProperty("certificate").GetProperty("name").GetString());
    }

    [Fact]
    public void Revoke_republishes_over_an_earlier_list()
    {
        var ca = NewAuthority();
        var list = PathOf("list.json");
        Ok("ca", "revoke", "--ca", ca, "--serial", "0123456789abcdef0123456789abcdef", "--out", list);

        var json = Ok("ca", "revoke", "--ca", ca, "--serial", "fedcba9876543210fedcba9876543210", "--out", list, "--json").Json();

        Assert.Equal(2, json.GetProperty("revoked").GetArrayLength());
    }

    [Fact]
    public void Revoke_refuses_a_certificate_issued_by_another_authority()
    {
        var ca = NewAuthority();
        var other = NewAuthority("Melbourne Taxi Council", "other.json");
        var cert = Issue(other, NewKey());
        var before = File.ReadAllText(ca);

        var line = AssertOneLineError(Run("ca", "revoke", "--ca", ca, "--cert", cert, "--out", PathOf("list.json")));

        Assert.Contains(cert, line);
        Assert.Contains("Melbourne Taxi Council", line);
        Assert.Equal(before, File.ReadAllText(ca));
        Assert.False(File.Exists(PathOf("list.json")));
    }

    [Fact]
    public void Issue_refuses_to_write_over_a_key_file_but_replaces_a_certificate()
    {
        var ca = NewAuthority();
        var key = NewKey();
        var keyBefore = File.ReadAllText(key);
        var caBefore = File.ReadAllText(ca);

        Assert.Contains("refusing to overwrite", AssertOneLineError(Run("ca", "issue", "--ca", ca, "--subject", key, "--name", "n", "--out", key)));
        Assert.Contains("refusing to overwrite", AssertOneLineError(Run("ca", "issue", "--ca", ca, "--subject", key, "--name", "n", "--out", ca)));
        Assert.Equal(keyBefore, File.ReadAllText(key));
        Assert.Equal(caBefore, File.ReadAllText(ca));

        var cert = Issue(ca, key);
        Issue(ca, key, "cert.json", "--property", "licence=C"); // re-issuing to the same file is fine
        var json = Ok("cert", "verify", "--cert", cert, "--ca", ca, "--json").Json();
        Assert.Equal("C", json.GetProperty("certificate").GetProperty("properties").GetProperty("licence").GetString());
    }

    [Fact]
    public void Validity_window_is_checked_at_the_given_time()
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey(), "cert.json", "--not-before", "2030-01-01T00:00:00Z", "--not-after", "2031-01-01T00:00:00Z");

        AssertInvalidVerdict(Run("cert", "verify", "--cert", cert, "--ca", ca, "--at", "2029-12-31T23:59:59Z"), "NotYetValid");
        Ok("cert", "verify", "--cert", cert, "--ca", ca, "--at", "2030-01-01T00:00:00Z");
        Ok("cert", "verify", "--cert", cert, "--ca", ca, "--at", "2030-06-15T12:00:00+10:00");
        Ok("cert", "verify", "--cert", cert, "--ca", ca, "--at", "2031-01-01T00:00:00Z");
        AssertInvalidVerdict(Run("cert", "verify", "--cert", cert, "--ca", ca, "--at", "2031-01-01T00:00:01Z"), "Expired");
    }

    [Fact]
    public void Relative_validity_options_are_relative_to_now()
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey(), "cert.json", "--not-before", "now+1h", "--not-after", "now+2d");

        AssertInvalidVerdict(Run("cert", "verify", "--cert", cert, "--ca", ca), "NotYetValid");
        Ok("cert", "verify", "--cert", cert, "--ca", ca, "--at", "now+1d");
        AssertInvalidVerdict(Run("cert", "verify", "--cert", cert, "--ca", ca, "--at", "+3d"), "Expired");
        AssertInvalidVerdict(Run("cert", "verify", "--cert", cert, "--ca", ca, "--at", "-1d"), "NotYetValid");
    }

    [Fact]
    public void Revoked_is_reported_before_the_validity_window()
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey(), "cert.json", "--not-before", "2030-01-01T00:00:00Z", "--not-after", "2031-01-01T00:00:00Z");
        Ok("ca", "revoke", "--ca", ca, "--cert", cert, "--out", PathOf("r.json"));

        AssertInvalidVerdict(Run("cert", "verify", "--cert", cert, "--ca", ca, "--revocations", PathOf("r.json"), "--at", "2040-01-01T00:00:00Z"), "Revoked");
    }

    [Fact]
    public void A_certificate_with_its_signature_tampered_is_ForgedSignature()
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey());
        // The signature is the last field of the wire bytes: flipping the last byte keeps it parseable.
        Tamper(cert, wire => wire[^1] ^= 0x01);

        AssertInvalidVerdict(Run("cert", "verify", "--cert", cert, "--ca", ca), "ForgedSignature");
    }

    [Fact]
    public void Editing_the_readable_summary_changes_nothing()
    {
        var ca = NewAuthority();
        var key = NewKey();
        var cert = Issue(ca, key);
        var node = JsonNode.Parse(File.ReadAllText(cert))!;
        node["summary"]!["subject"] = new string('0', 64);
        node["summary"]!["not_valid_after"] = "2999-01-01T00:00:00Z";
        File.WriteAllText(cert, node.ToJsonString());

        var json = Ok("cert", "verify", "--cert", cert, "--ca", ca, "--json").Json();
        Assert.Equal(PublicKeyOf(key), json.GetProperty("certificate").GetProperty("subject").GetString());
    }

    [Fact]
    public void Every_single_byte_tampering_is_rejected_with_one_line()
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey());
        var original = ReadWire(cert);
        var forged = 0;

        for (var i = 0; i < original.Length; i++)
        {
            var tampered = (byte[])original.Clone();
            tampered[i] ^= 0x01;
            WriteWire(cert, tampered);

            var result = Run("cert", "verify", "--cert", cert, "--ca", ca);

            Assert.True(result.ExitCode != 0, $"byte {i}: tampered certificate accepted\n{result}");
            if (result.Out.Length > 0)
            {
                Assert.True(result.Err.Length == 0 && result.OutLines.Length == 1, $"byte {i}\n{result}");
                Assert.StartsWith("invalid (", result.OutLines[0]);
                forged += result.OutLines[0].StartsWith("invalid (ForgedSignature)", StringComparison.Ordinal) ? 1 : 0;
            }
            else
            {
                var line = AssertOneLineError(result);
                Assert.Contains(cert, line); // which file is broken
            }
        }

        Assert.True(forged >= 64, $"only {forged} of {original.Length} flips were ForgedSignature");
    }

    [Fact]
    public void Certificate_with_wire_that_is_not_base64_is_one_line_naming_the_file()
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey());
        var node = JsonNode.Parse(File.ReadAllText(cert))!;
        node["wire"] = "%%% not base64 %%%";
        File.WriteAllText(cert, node.ToJsonString());

        var line = AssertOneLineError(Run("cert", "verify", "--cert", cert, "--ca", ca));

        Assert.Contains(cert, line);
        Assert.Contains("base64", line);
    }

    [Fact]
    public void Truncated_certificate_wire_is_one_line_naming_the_file()
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey());
        WriteWire(cert, ReadWire(cert)[..20]);

        var line = AssertOneLineError(Run("cert", "verify", "--cert", cert, "--ca", ca));

        Assert.Contains(cert, line);
    }

    [Fact]
    public void A_revocation_list_signed_by_another_authority_is_a_clear_error_line()
    {
        var ca = NewAuthority();
        var other = NewAuthority("Melbourne Taxi Council", "other.json");
        var cert = Issue(ca, NewKey());
        var list = PathOf("other-list.json");
        Ok("ca", "revoke", "--ca", other, "--serial", "0123456789abcdef0123456789abcdef", "--out", list);

        var line = AssertOneLineError(Run("cert", "verify", "--cert", cert, "--ca", ca, "--revocations", list));

        Assert.Contains(list, line);
        Assert.Contains("revocation list", line);
        Assert.Contains("not trust", line);
    }

    [Fact]
    public void A_revocation_list_from_an_impostor_with_the_same_name_is_a_clear_error_line()
    {
        var ca = NewAuthority();
        var impostor = NewAuthority(Council, "impostor.json");
        var cert = Issue(ca, NewKey());
        var list = PathOf("impostor-list.json");
        var serial = Ok("cert", "verify", "--cert", cert, "--ca", ca, "--json").Json().GetProperty("certificate").GetProperty("serial").GetString()!;
        Ok("ca", "revoke", "--ca", impostor, "--serial", serial, "--out", list);

        var line = AssertOneLineError(Run("cert", "verify", "--cert", cert, "--ca", ca, "--revocations", list));

        Assert.Contains(list, line);
        Assert.Contains("another key", line);
    }

    [Fact]
    public void A_revocation_list_with_a_forged_signature_is_a_clear_error_line()
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey());
        var list = PathOf("list.json");
        Ok("ca", "revoke", "--ca", ca, "--cert", cert, "--out", list);
        Tamper(list, wire => wire[^1] ^= 0x80);

        var line = AssertOneLineError(Run("cert", "verify", "--cert", cert, "--ca", ca, "--revocations", list));

        Assert.Contains(list, line);
        Assert.Contains("signature", line);
    }

    [Fact]
    public void Files_of_the_wrong_kind_are_one_line_naming_the_file()
    {
        var ca = NewAuthority();
        var key = NewKey();
        var cert = Issue(ca, key);
        Ok("ca", "revoke", "--ca", ca, "--cert", cert, "--out", PathOf("list.json"));

        Assert.Contains(PathOf("list.json"), AssertOneLineError(Run("cert", "verify", "--cert", PathOf("list.json"), "--ca", ca)));
        Assert.Contains(cert, AssertOneLineError(Run("cert", "verify", "--cert", cert, "--ca", ca, "--revocations", cert)));
        Assert.Contains(key, AssertOneLineError(Run("cert", "verify", "--cert", cert, "--ca", key)));
        Assert.Contains(key, AssertOneLineError(Run("ca", "issue", "--ca", key, "--subject", key, "--name", "x", "--out", PathOf("c2.json"))));
        Assert.Contains(ca, AssertOneLineError(Run("keys", "sign", "--key", ca, "--message", "m")));
    }

    [Fact]
    public void Verify_without_saying_whom_to_trust_is_one_line()
    {
        var ca = NewAuthority();
        var cert = Issue(ca, NewKey());

        var line = AssertOneLineError(Run("cert", "verify", "--cert", cert));
        Assert.Contains("--ca", line);
        line = AssertOneLineError(Run("cert", "verify", "--cert", cert, "--ca-name", Council));
        Assert.Contains("--ca-public-key", line);
    }

    [Fact]
    public void Verify_with_a_malformed_authority_key_names_the_option()
    {
        var cert = Issue(NewAuthority(), NewKey());
        var line = AssertOneLineError(Run("cert", "verify", "--cert", cert, "--ca-name", Council, "--ca-public-key", "xyz"));
        Assert.Contains("--ca-public-key", line);
    }

    [Theory]
    [InlineData("nothex")]
    [InlineData("abcd")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void Issue_to_a_subject_that_is_neither_file_nor_key_names_the_option(string subject)
    {
        var line = AssertOneLineError(Run("ca", "issue", "--ca", NewAuthority(), "--subject", subject, "--name", "x", "--out", PathOf("c.json")));
        Assert.Contains("--subject", line);
        Assert.False(File.Exists(PathOf("c.json")));
    }

    [Theory]
    [InlineData("noequals")]
    [InlineData("=value")]
    public void Issue_with_a_malformed_property_names_the_option(string property)
    {
        var line = AssertOneLineError(Run("ca", "issue", "--ca", NewAuthority(), "--subject", NewKey(), "--name", "x", "--property", property, "--out", PathOf("c.json")));
        Assert.Contains("--property", line);
    }

    [Fact]
    public void Issue_with_the_window_the_wrong_way_round_names_the_options()
    {
        var line = AssertOneLineError(Run("ca", "issue", "--ca", NewAuthority(), "--subject", NewKey(), "--name", "x",
            "--not-before", "now+2d", "--not-after", "now+1d", "--out", PathOf("c.json")));
        Assert.Contains("--not-after", line);
        Assert.Contains("--not-before", line);
    }

    [Fact]
    public void Issue_with_bad_time_text_names_the_option()
    {
        var line = AssertOneLineError(Run("ca", "issue", "--ca", NewAuthority(), "--subject", NewKey(), "--name", "x",
            "--not-after", "next tuesday", "--out", PathOf("c.json")));
        Assert.Contains("--not-after", line);
        Assert.Contains("next tuesday", line);
    }

    [Fact]
    public void Verify_with_bad_at_text_names_the_option()
    {
        var ca = NewAuthority();
        var line = AssertOneLineError(Run("cert", "verify", "--cert", Issue(ca, NewKey()), "--ca", ca, "--at", "yesterday"));
        Assert.Contains("--at", line);
    }

    // ---- wire helpers: the certificate/list file keeps the exact wire bytes in base64 under "wire" ----

    private static byte[] ReadWire(string path) =>
        Convert.FromBase64String(JsonNode.Parse(File.ReadAllText(path))!["wire"]!.GetValue<string>());

    private static void WriteWire(string path, byte[] wire)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        node["wire"] = Convert.ToBase64String(wire);
        File.WriteAllText(path, node.ToJsonString());
    }

    private static void Tamper(string path, Action<byte[]> change)
    {
        var wire = ReadWire(path);
        change(wire);
        WriteWire(path, wire);
    }
}
