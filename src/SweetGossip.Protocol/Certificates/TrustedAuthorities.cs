using System.Collections.Concurrent;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Certificates;

/// <summary>
/// The authorities a node trusts (each peer picks its own), with the newest verified
/// revocation list of each. Certificates are verified against this.
/// </summary>
public sealed class TrustedAuthorities
{
    private readonly ConcurrentDictionary<string, Entry> _byName = new(StringComparer.Ordinal);

    private sealed record Entry(PublicKey Key, SignedRevocationList? Revocations);

    public void Trust(string authorityName, PublicKey key) =>
        _byName.AddOrUpdate(authorityName, _ => new Entry(key, null), (_, old) => old.Key.Equals(key) ? old : new Entry(key, null));

    public bool TryGetKey(string authorityName, out PublicKey? key)
    {
        key = _byName.TryGetValue(authorityName, out var entry) ? entry.Key : null;
        return key is not null;
    }

    public SignedRevocationList? RevocationsOf(string authorityName) =>
        _byName.TryGetValue(authorityName, out var entry) ? entry.Revocations : null;

    /// <summary>Checks a revocation list and, if it is genuine and newer than the one held, keeps it.</summary>
    public RevocationListVerdict Accept(SignedRevocationList list)
    {
        var body = list.Body;
        if (!_byName.TryGetValue(body.AuthorityName, out var entry))
            return RevocationListVerdict.UnknownAuthority;
        if (!entry.Key.Equals(body.AuthorityKey))
            return RevocationListVerdict.AuthorityKeyMismatch;
        if (!DomainSignature.Verify(entry.Key, SignatureDomains.RevocationList, list.BodyBytes.Span, list.Signature.Span))
            return RevocationListVerdict.ForgedSignature;
        if (entry.Revocations is { } held && held.Body.IssuedAt > body.IssuedAt)
            return RevocationListVerdict.Stale;
        _byName[body.AuthorityName] = entry with { Revocations = list };
        return RevocationListVerdict.Accepted;
    }
}
