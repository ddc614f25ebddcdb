using System.Collections.Concurrent;
using System.Collections.Immutable;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Certificates;

/// <summary>
/// The authorities a node trusts (each peer picks its own), with the newest verified
/// revocation list of each, and the serials this node revokes on its own word (its operator's
/// configuration). Certificates are verified against this.
/// </summary>
public sealed class TrustedAuthorities
{
    private readonly ConcurrentDictionary<string, Entry> _byName = new(StringComparer.Ordinal);

    // Certificates whose authority signature verified, by a hash of body and signature: the same
    // originators and drivers come back topic after topic, and a Schnorr verify costs ~140 µs, a hash ~1 µs.
    private readonly ConcurrentDictionary<Hash32, byte> _genuine = new();

    /// <summary>How many verified certificates are remembered before the memory starts over.</summary>
    public const int GenuineCacheCapacity = 65_536;

    internal bool IsKnownGenuine(SignedCertificate certificate) => _genuine.ContainsKey(GenuineKey(certificate));

    internal void RememberGenuine(SignedCertificate certificate)
    {
        if (_genuine.Count >= GenuineCacheCapacity) _genuine.Clear();
        _genuine.TryAdd(GenuineKey(certificate), 0);
    }

    private static Hash32 GenuineKey(SignedCertificate certificate)
    {
        var bytes = new byte[certificate.BodyBytes.Length + certificate.Signature.Length];
        certificate.BodyBytes.Span.CopyTo(bytes);
        certificate.Signature.Span.CopyTo(bytes.AsSpan(certificate.BodyBytes.Length));
        return Hash32.FromSpan(System.Security.Cryptography.SHA256.HashData(bytes));
    }

    private sealed record Entry(PublicKey Key, SignedRevocationList? Revocations, ImmutableHashSet<CertificateSerial> RevokedByNode)
    {
        public static Entry Of(PublicKey key) => new(key, null, ImmutableHashSet<CertificateSerial>.Empty);
    }

    /// <summary>Trusts an authority. Trusting a name again under another key forgets what was revoked under the old one.</summary>
    public void Trust(string authorityName, PublicKey key) =>
        _byName.AddOrUpdate(authorityName, _ => Entry.Of(key), (_, old) => old.Key.Equals(key) ? old : Entry.Of(key));

    /// <summary>
    /// Revokes <paramref name="serial"/> of <paramref name="authorityName"/>'s certificates on this node's own
    /// word, whatever the authority publishes (an operator who will not carry a subject's requests). Certificates
    /// with that serial then verify as <see cref="CertificateVerdict.RevokedByNode"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The authority is not trusted.</exception>
    public void RevokeByNode(string authorityName, CertificateSerial serial)
    {
        while (true)
        {
            if (!_byName.TryGetValue(authorityName, out var entry))
                throw new InvalidOperationException($"'{authorityName}' is not a trusted authority");
            if (_byName.TryUpdate(authorityName, entry with { RevokedByNode = entry.RevokedByNode.Add(serial) }, entry))
                return;
        }
    }

    /// <summary>Whether this node revoked <paramref name="serial"/> of <paramref name="authorityName"/> on its own word.</summary>
    public bool IsRevokedByNode(string authorityName, CertificateSerial serial) =>
        _byName.TryGetValue(authorityName, out var entry) && entry.RevokedByNode.Contains(serial);

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
        _byName[body.AuthorityName] = entry with { Revocations = list }; // the node's own revocations stay
        return RevocationListVerdict.Accepted;
    }
}
