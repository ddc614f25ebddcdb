using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Certificates;

/// <summary>One statement a certification authority makes about a subject, e.g. ("licence-class", "B").</summary>
public sealed record CertificateProperty(string Key, string Value);

/// <summary>What a certification authority signs: who the subject is and what it vouches for, and when.</summary>
public sealed record CertificateBody(
    CertificateSerial Serial,
    PublicKey Subject,
    string Name,
    ValueList<CertificateProperty> Properties,
    DateTimeOffset NotValidBefore,
    DateTimeOffset NotValidAfter,
    string AuthorityName,
    PublicKey AuthorityKey)
{
    public string? Property(string key) => Properties.FirstOrDefault(p => p.Key == key)?.Value;
}
