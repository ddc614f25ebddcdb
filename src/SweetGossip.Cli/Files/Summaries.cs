using SweetGossip.Protocol.Certificates;

namespace SweetGossip.Cli.Files;

/// <summary>Readable views of protocol objects, for output and for the summary in files.</summary>
public static class Summaries
{
    public static object Of(SignedCertificate certificate)
    {
        var b = certificate.Body;
        return new
        {
            Serial = b.Serial.ToString(),
            Subject = b.Subject.ToHex(),
            b.Name,
            Properties = b.Properties.ToDictionary(p => p.Key, p => p.Value),
            NotValidBefore = b.NotValidBefore.ToString("O"),
            NotValidAfter = b.NotValidAfter.ToString("O"),
            Authority = b.AuthorityName,
            AuthorityKey = b.AuthorityKey.ToHex(),
        };
    }

    public static object Of(SignedRevocationList list) => new
    {
        Authority = list.Body.AuthorityName,
        AuthorityKey = list.Body.AuthorityKey.ToHex(),
        IssuedAt = list.Body.IssuedAt.ToString("O"),
        Revoked = list.Body.RevokedSerials.Select(s => s.ToString()).ToList(),
    };
}
