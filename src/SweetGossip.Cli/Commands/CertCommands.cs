using System.CommandLine;
using SweetGossip.Cli.Files;
using SweetGossip.Protocol.Certificates;

namespace SweetGossip.Cli.Commands;

/// <summary>`sgossip cert verify`: the check every peer makes on a certificate.</summary>
internal static class CertCommands
{
    public static Command Build()
    {
        var cert = new Command("cert", "Certificates");
        cert.Subcommands.Add(Verify());
        return cert;
    }

    private static Command Verify()
    {
        var certFile = Options.Required<string>("--cert", "Certificate file");
        var caName = Options.Optional<string>("--ca-name", "Trusted authority's name");
        var caKey = Options.Optional<string>("--ca-public-key", "Trusted authority's public key (hex)");
        var caFile = Options.Optional<string>("--ca", "Or: trust the authority in this authority file");
        var revocations = Options.Optional<string>("--revocations", "Signed revocation list file of that authority");
        var at = Options.WithDefault("--at", "Verify as of this time", "now");
        var command = Options.Command("verify", "Verify a certificate: authority, signature, revocation, validity window; exit code 1 if not valid",
            certFile, caName, caKey, caFile, revocations, at);
        command.SetAction(parse =>
        {
            var ctx = CliContext.From(parse);
            var certificate = WireFile.LoadCertificate(parse.GetValue(certFile)!);
            var trusted = new TrustedAuthorities();
            if (parse.GetValue(caFile) is { } path)
            {
                var authority = AuthorityFile.Load(path).Authority;
                trusted.Trust(authority.Name, authority.PublicKey);
            }
            else if (parse.GetValue(caName) is { } name && parse.GetValue(caKey) is { } key)
                trusted.Trust(name, Options.PublicKeyHex(key, "--ca-public-key"));
            else
                throw new CliException("say which authority to trust: --ca FILE, or --ca-name and --ca-public-key");

            if (parse.GetValue(revocations) is { } listPath)
            {
                var listVerdict = trusted.Accept(WireFile.LoadRevocationList(listPath));
                if (listVerdict != RevocationListVerdict.Accepted)
                    throw new CliException($"{listPath}: {listVerdict.Describe()}");
            }
            var verdict = CertificateVerifier.Verify(certificate, trusted, Options.ParseTime(parse.GetValue(at)!, DateTimeOffset.UtcNow, "--at"));
            var valid = verdict == CertificateVerdict.Valid;
            ctx.Write(new { Valid = valid, Verdict = verdict.ToString(), Reason = verdict.Describe(), Certificate = Summaries.Of(certificate) },
                valid ? $"valid: {CliContext.Visible(certificate.Body.Name)} for {certificate.Body.Subject.ToHex()} until {certificate.Body.NotValidAfter:O}"
                      : $"invalid ({verdict}): {verdict.Describe()}");
            return valid ? 0 : 1;
        });
        return command;
    }
}
