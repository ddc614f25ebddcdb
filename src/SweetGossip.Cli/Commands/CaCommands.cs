using System.CommandLine;
using SweetGossip.Cli.Files;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Commands;

/// <summary>`sgossip ca new|issue|revoke`: run a certification authority from a file.</summary>
internal static class CaCommands
{
    public static Command Build()
    {
        var ca = new Command("ca", "Certification authority: create, issue certificates, revoke them");
        ca.Subcommands.Add(New());
        ca.Subcommands.Add(Issue());
        ca.Subcommands.Add(Revoke());
        return ca;
    }

    private static Command New()
    {
        var name = Options.Required<string>("--name", "Authority name, e.g. 'Sydney Taxi Council'");
        var output = Options.Required<string>("--out", "Where to write the authority file (keep it private)");
        var command = Options.Command("new", "Create a certification authority", name, output);
        command.SetAction(parse =>
        {
            var ctx = CliContext.From(parse);
            var path = parse.GetValue(output)!;
            if (File.Exists(path))
                throw new CliException($"{path} already exists; refusing to overwrite an authority");
            JsonFile.EnsureWritable(path, replaceableType: null);
            var key = PrivateKey.Generate();
            var authority = new CertificateAuthority(parse.GetValue(name)!, key); // validates the name
            JsonFile.WriteSecret(path, AuthorityFile.Create(authority.Name, key), replace: false);
            ctx.Write(new { authority.Name, PublicKey = authority.PublicKey.ToHex(), File = path },
                $"{CliContext.Visible(authority.Name)} {authority.PublicKey.ToHex()}");
            return 0;
        });
        return command;
    }

    private static Command Issue()
    {
        var caFile = Options.Required<string>("--ca", "Authority file");
        var subject = Options.Required<string>("--subject", "Subject's x-only public key (hex), or a key file");
        var name = Options.Required<string>("--name", "Certificate name, e.g. 'taxi-driver'");
        var properties = Options.Optional<string[]>("--property", "key=value, repeatable (e.g. --property licence=B)");
        properties.AllowMultipleArgumentsPerToken = false;
        var notBefore = Options.WithDefault("--not-before", "Start of validity (ISO 8601 or now, now+1h, -1d)", "now");
        var notAfter = Options.WithDefault("--not-after", "End of validity (ISO 8601 or now+365d …)", "now+365d");
        var output = Options.Required<string>("--out", "Where to write the certificate");
        var command = Options.Command("issue", "Issue a certificate", caFile, subject, name, properties, notBefore, notAfter, output);
        command.SetAction(parse =>
        {
            var ctx = CliContext.From(parse);
            var authority = AuthorityFile.Load(parse.GetValue(caFile)!).Authority;
            var path = parse.GetValue(output)!;
            JsonFile.EnsureWritable(path, WireFile.CertificateType); // never over a key or authority file
            var now = DateTimeOffset.UtcNow;
            var subjectKey = SubjectKey(parse.GetValue(subject)!);
            var props = (parse.GetValue(properties) ?? []).Select(ParseProperty).ToList();
            // Certificates carry whole unix seconds: compare what will be signed.
            var from = UnixTime.Truncate(Options.ParseTime(parse.GetValue(notBefore)!, now, "--not-before"));
            var until = UnixTime.Truncate(Options.ParseTime(parse.GetValue(notAfter)!, now, "--not-after"));
            if (until <= from)
                throw new CliException($"--not-after: must be later than --not-before (got {until:O} <= {from:O})");
            var certificate = authority.Issue(subjectKey, parse.GetValue(name)!, props, from, until);
            JsonFile.Write(path, WireFile.Of(certificate));
            ctx.Write(Summaries.Of(certificate), $"issued {certificate.Body.Serial} to {subjectKey.ToHex()} → {path}");
            return 0;
        });
        return command;
    }

    /// <summary>--subject: an existing key file, else a 64-hex-digit x-only public key.</summary>
    private static PublicKey SubjectKey(string text)
    {
        if (File.Exists(text))
            return KeyFile.Load(text).PublicKey;
        if (text.Length != 64 || !text.All(Uri.IsHexDigit))
            throw new CliException($"--subject: '{text}' is neither an existing key file nor a public key (64 hex digits)");
        return Options.PublicKeyHex(text, "--subject");
    }

    private static CertificateProperty ParseProperty(string text)
    {
        var i = text.IndexOf('=');
        if (i <= 0)
            throw new CliException($"--property: '{text}' is not key=value");
        return new CertificateProperty(text[..i], text[(i + 1)..]);
    }

    /// <summary>The certificate in <paramref name="path"/>, if <paramref name="authority"/> issued it: revoking another's serial would do nothing.</summary>
    private static SignedCertificate IssuedBy(CertificateAuthority authority, string path)
    {
        var certificate = WireFile.LoadCertificate(path);
        if (!certificate.Body.AuthorityKey.Equals(authority.PublicKey))
            throw new CliException($"{path}: issued by '{certificate.Body.AuthorityName}' ({certificate.Body.AuthorityKey.ToHex()}), not by this authority; it cannot revoke it");
        return certificate;
    }

    private static Command Revoke()
    {
        var caFile = Options.Required<string>("--ca", "Authority file (its revoked list is updated)");
        var serial = Options.Optional<string>("--serial", "Serial to revoke (32 hex digits)");
        var certificate = Options.Optional<string>("--cert", "Or: the certificate file to revoke");
        var output = Options.Required<string>("--out", "Where to write the signed revocation list");
        var command = Options.Command("revoke", "Revoke a certificate and publish the signed revocation list", caFile, serial, certificate, output);
        command.SetAction(parse =>
        {
            var ctx = CliContext.From(parse);
            var caPath = parse.GetValue(caFile)!;
            var (file, authority, alreadyRevoked) = AuthorityFile.Load(caPath);
            var target = (parse.GetValue(serial), parse.GetValue(certificate)) switch
            {
                ({ } s, null) => SerialText.Parse(s, "--serial"),
                (null, { } c) => IssuedBy(authority, c).Body.Serial,
                _ => throw new CliException("give exactly one of --serial or --cert"),
            };
            var path = parse.GetValue(output)!;
            // Checked before the authority file is updated: --out must never be the authority file itself.
            JsonFile.EnsureWritable(path, WireFile.RevocationListType);
            var revoked = alreadyRevoked.Append(target).Distinct().ToList();
            JsonFile.WriteSecret(caPath, file with { RevokedSerials = revoked.Select(s => s.ToString()).ToList() }, replace: true);
            var list = authority.PublishRevocations(revoked, DateTimeOffset.UtcNow);
            JsonFile.Write(path, WireFile.Of(list));
            ctx.Write(Summaries.Of(list), $"revoked {target}; {revoked.Count} revoked in all → {path}");
            return 0;
        });
        return command;
    }
}
