using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Tests.Support;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Protocol.Tests.Validation;

/// <summary>Remembering what verified must never let anything else through unverified.</summary>
public class VerificationCacheTests
{
    private readonly TestWorld _world = new();
    private static readonly DateTimeOffset Now = TestWorld.Now;

    [Fact]
    public void A_certificate_remembered_as_genuine_does_not_vouch_for_a_changed_signature_or_body()
    {
        var genuine = _world.Payload().OriginatorCertificate;
        Assert.Equal(CertificateVerdict.Valid, CertificateVerifier.Verify(genuine, _world.Trusted, Now));
        Assert.True(_world.Trusted.IsKnownGenuine(genuine));

        var otherSignature = genuine.Signature.Span.ToArray();
        otherSignature[5] ^= 0x01;
        var forged = new SignedCertificate(genuine.BodyBytes, Bytes.Own(otherSignature), genuine.Body);
        Assert.Equal(CertificateVerdict.ForgedSignature, CertificateVerifier.Verify(forged, _world.Trusted, Now));

        var otherCertificate = _world.Authority.Issue(PrivateKey.Generate().PublicKey, "rider", [], Now.AddDays(-1), Now.AddDays(1));
        var borrowed = new SignedCertificate(otherCertificate.BodyBytes, genuine.Signature, otherCertificate.Body);
        Assert.Equal(CertificateVerdict.ForgedSignature, CertificateVerifier.Verify(borrowed, _world.Trusted, Now));
    }

    [Fact]
    public void A_remembered_certificate_is_still_checked_for_revocation_and_its_window()
    {
        var genuine = _world.Payload().OriginatorCertificate;
        Assert.Equal(CertificateVerdict.Valid, CertificateVerifier.Verify(genuine, _world.Trusted, Now));
        Assert.Equal(CertificateVerdict.Expired, CertificateVerifier.Verify(genuine, _world.Trusted, genuine.Body.NotValidAfter.AddSeconds(1)));
        _world.Trusted.RevokeByNode(genuine.Body.AuthorityName, genuine.Body.Serial);
        Assert.Equal(CertificateVerdict.RevokedByNode, CertificateVerifier.Verify(genuine, _world.Trusted, Now));
    }

    [Fact]
    public void A_verified_request_is_recognised_only_with_the_same_bytes_and_signature()
    {
        var cache = new VerifiedRequests();
        var request = _world.Request();
        Assert.False(cache.Contains(request));
        cache.Add(request, Now);
        Assert.True(cache.Contains(request));

        // Same payload id, other content: must be verified afresh.
        var changed = _world.Request(request.Payload with { ExpiresAt = request.Payload.ExpiresAt.AddMinutes(1) });
        Assert.Equal(request.Payload.PayloadId, changed.Payload.PayloadId);
        Assert.False(cache.Contains(changed));

        // Same content, another signature (fresh BIP-340 aux data): also afresh.
        var resigned = _world.Request(request.Payload);
        Assert.False(cache.Contains(resigned));
    }

    [Fact]
    public void The_request_cache_stays_within_its_capacity()
    {
        var cache = new VerifiedRequests(capacity: 3);
        for (var i = 0; i < 10; i++) cache.Add(_world.Request(), Now);
        Assert.InRange(cache.Count, 1, 3);
    }

    [Fact]
    public void Asks_verified_on_many_links_at_once_keep_the_request_cache_within_its_capacity()
    {
        // The cache counts its own entries (ConcurrentDictionary.Count locks the whole table): links flooding it in
        // parallel, each request offered twice, must neither push it past its bound nor make it count one request twice.
        var requests = Enumerable.Range(0, 400).Select(_ => _world.Request()).ToList();
        var cache = new VerifiedRequests(capacity: 150);
        Parallel.ForEach(Enumerable.Range(0, 8), new ParallelOptions { MaxDegreeOfParallelism = 8 }, link =>
        {
            foreach (var request in requests.Skip(link * 50).Take(100)) cache.Add(request, Now);
        });
        Assert.InRange(cache.Count, 1, 150);

        var single = new VerifiedRequests(capacity: 1_000);
        foreach (var request in requests.Take(10)) { single.Add(request, Now); single.Add(request, Now); }
        Assert.Equal(10, single.Count);
    }

    [Fact]
    public void Parsing_a_key_again_gives_the_same_key_and_an_invalid_key_stays_invalid()
    {
        var bytes = PrivateKey.Generate().PublicKey.ToBytes();
        var first = PublicKey.FromBytes(bytes);
        var second = PublicKey.FromBytes(bytes);
        Assert.Equal(first, second);
        Assert.Equal(bytes, second.ToBytes());

        // x = 5 has no point on secp256k1 (5^3 + 7 = 132 is not a square mod p): refused every time.
        var offCurve = new byte[32];
        offCurve[31] = 5;
        Assert.False(PublicKey.TryFromBytes(offCurve, out _));
        Assert.False(PublicKey.TryFromBytes(offCurve, out _));
    }
}
