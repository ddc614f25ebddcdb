using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;

namespace SweetGossip.Protocol.Tests.Support;

/// <summary>A small world for tests: one authority, an originator, a replier, a middleman, a fixed clock.</summary>
public sealed class TestWorld
{
    public static readonly DateTimeOffset Now = UnixTime.FromSeconds(1_790_000_000); // 2026-09-21

    public CertificateAuthority Authority { get; } = new("Test Taxi Council", PrivateKey.Generate());
    public TrustedAuthorities Trusted { get; } = new();
    public PrivateKey OriginatorKey { get; } = PrivateKey.Generate();
    public PrivateKey ReplierKey { get; } = PrivateKey.Generate();
    public PrivateKey MiddlemanKey { get; } = PrivateKey.Generate();
    public PrivateKey ReplyKey { get; } = PrivateKey.Generate();
    public SignedCertificate OriginatorCertificate { get; }
    public SignedCertificate ReplierCertificate { get; }

    public TestWorld()
    {
        Trusted.Trust(Authority.Name, Authority.PublicKey);
        OriginatorCertificate = Authority.Issue(OriginatorKey.PublicKey, "rider", [], Now.AddDays(-30), Now.AddDays(365));
        ReplierCertificate = Authority.Issue(ReplierKey.PublicKey, "taxi-driver", [new("licence", "B"), new("area", "r3gx")], Now.AddDays(-30), Now.AddDays(365));
    }

    public TaxiTopic Topic() => TaxiTopic.Create(-33.8647, 151.2096, 7, Now, Now.AddMinutes(30), Now);

    public RequestPayload Payload(Topic? topic = null, DateTimeOffset? created = null, DateTimeOffset? expires = null, SignedCertificate? certificate = null) =>
        new(PayloadId.New(), topic ?? Topic(), certificate ?? OriginatorCertificate, ReplyKey.PublicKey, created ?? Now, expires ?? Now.AddHours(1));

    public SignedRequestPayload Request(RequestPayload? payload = null) => SignedRequestPayload.Sign(payload ?? Payload(), OriginatorKey);
}
